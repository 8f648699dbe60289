import { defineConfig, type Options } from 'tsup'

// Three entries. Adapters mark 'flagstage' external so dist/react and dist/node import core
// instead of inlining a second copy (one emitter, one default client) — tsup issue #408.
const shared: Options = {
  format: ['esm', 'cjs'],
  sourcemap: true,
  target: 'es2022',
  splitting: false,
  removeNodeProtocol: false,
  dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
}

export default defineConfig([
  { ...shared, entry: { index: 'src/index.ts' }, platform: 'neutral', clean: true },
  {
    ...shared,
    entry: { 'react/index': 'src/react/index.ts' },
    platform: 'neutral',
    external: ['react', 'flagstage'],
    // 'use client' as a banner: a directive in source is stripped by bundling (tsup #835).
    banner: { js: "'use client';" },
  },
  { ...shared, entry: { 'node/index': 'src/node/index.ts' }, platform: 'node', external: ['flagstage'] },
])
