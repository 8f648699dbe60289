import { defineConfig, type Options } from 'tsup'

// One build per public door. Adapters mark 'flagstage' external so dist/<entry> imports core
// instead of inlining a second copy (one emitter, one default client) — tsup issue #408.
const shared: Options = {
  format: ['esm', 'cjs'],
  sourcemap: true,
  target: 'es2022',
  splitting: false,
  removeNodeProtocol: false,
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
}

/** An adapter entry `src/<name>/index.ts` → `dist/<name>/index.*`, reaching core only as 'flagstage'. */
const adapter = (name: string, options: Options = {}): Options => ({
  ...shared,
  entry: { [`${name}/index`]: `src/${name}/index.ts` },
  platform: 'neutral',
  ...options,
  external: ['flagstage', ...((options.external as string[] | undefined) ?? [])],
})

export default defineConfig([
  { ...shared, entry: { index: 'src/index.ts' }, platform: 'neutral', clean: true },
  // 'use client' as a banner: a directive in source is stripped by bundling (tsup #835).
  adapter('react', { external: ['react'], banner: { js: "'use client';" } }),
  adapter('node', { platform: 'node' }),
  adapter('server'),
  adapter('openfeature', { external: ['@openfeature/server-sdk', '@openfeature/web-sdk', '@openfeature/core'] }),
  adapter('unleash'),
  adapter('flagd'),
  adapter('testing'),
  adapter('devtools', { platform: 'browser' }),
  // The `flagstage` command (bin/flagstage.mjs): Node only, ESM only, no types; core stays external.
  { ...shared, entry: { 'cli/main': 'src/cli/main.ts' }, format: ['esm'], dts: false, platform: 'node', external: ['flagstage'] },
])
