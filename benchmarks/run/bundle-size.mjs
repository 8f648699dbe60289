// Bundle sizes: esbuild (minify, ESM, platform browser, production) of each minimal entry in bundle/, with
// react, react-dom and react/jsx-runtime external (not counted). Raw, gzip (level 9) and brotli (quality 11)
// bytes. React entries are also shown "on top of" the same SDK's core entry (their difference), which is how
// flagstage's budget for flagstage/react is written. flagstage resolves through the file: dependency to ../dist.
//   node run/bundle-size.mjs
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { BENCH_DIR, pkgVersion } from '../lib/versions.mjs'

const SELF = fileURLToPath(import.meta.url)

export const ENTRIES = [
  { id: 'flagstage', file: 'flagstage.mjs', pkg: 'flagstage', local: true },
  { id: 'flagstage + react', file: 'flagstage-react.mjs', pkg: 'flagstage', local: true, base: 'flagstage' },
  { id: 'GrowthBook', file: 'growthbook.mjs', pkg: '@growthbook/growthbook', local: true },
  { id: 'GrowthBook + react', file: 'growthbook-react.mjs', pkg: '@growthbook/growthbook-react', local: true, base: 'GrowthBook' },
  { id: 'flagd-core', file: 'flagd-core.mjs', pkg: '@openfeature/flagd-core', local: true },
  { id: 'OpenFeature web (in-memory, no rules)', file: 'openfeature-web.mjs', pkg: '@openfeature/web-sdk', local: 'no rules' },
  { id: 'OpenFeature web + react', file: 'openfeature-web-react.mjs', pkg: '@openfeature/react-sdk', local: 'no rules', base: 'OpenFeature web (in-memory, no rules)' },
  { id: 'LaunchDarkly browser (remote eval)', file: 'launchdarkly-remote.mjs', pkg: 'launchdarkly-js-client-sdk', local: false },
  { id: 'LaunchDarkly browser + react (remote eval)', file: 'launchdarkly-remote-react.mjs', pkg: 'launchdarkly-react-client-sdk', local: false, base: 'LaunchDarkly browser (remote eval)' },
  { id: 'Unleash browser (remote eval)', file: 'unleash-remote.mjs', pkg: 'unleash-proxy-client', local: false },
  { id: 'Unleash browser + react (remote eval)', file: 'unleash-remote-react.mjs', pkg: '@unleash/proxy-client-react', local: false, base: 'Unleash browser (remote eval)' },
]

const sizes = (buf) => ({
  raw: buf.length,
  gzip: gzipSync(buf, { level: 9 }).length,
  brotli: brotliCompressSync(buf, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
  }).length,
})

export const bundleOne = async (entry) => {
  const result = await build({
    entryPoints: [join(BENCH_DIR, 'bundle', entry.file)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // The repo's tsconfig.json maps 'flagstage' to src/ for tests; a bundle must see what users get: dist/.
    tsconfigRaw: {},
    external: ['react', 'react-dom', 'react/jsx-runtime'],
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    logLevel: 'silent',
    metafile: true,
  })
  const code = Buffer.from(result.outputFiles[0].contents)
  const inputs = Object.keys(result.metafile.inputs)
  if (entry.pkg === 'flagstage' && inputs.some((i) => /(^|\/)src\//.test(i) && !i.includes('node_modules'))) {
    throw new Error(`flagstage resolved to src/, not dist/: ${inputs.join(', ')}`)
  }
  return { ...sizes(code), code, inputs }
}

export const run = async ({ only } = {}) => {
  const results = []
  for (const entry of ENTRIES) {
    if (only && !only.some((o) => entry.id.toLowerCase().startsWith(o.toLowerCase()))) continue
    try {
      const { code, inputs, ...s } = await bundleOne(entry)
      results.push({ ...entry, version: pkgVersion(entry.pkg), ...s })
    } catch (err) {
      results.push({ ...entry, version: pkgVersion(entry.pkg), error: String(err.message ?? err).split('\n').slice(0, 2).join(' ') })
    }
  }
  return { results }
}

const kB = (b) => (b / 1000).toFixed(2)

export const bundleTable = ({ results }) => {
  const smallestLocalPeer = results
    .filter((r) => r.local === true && !r.base && !r.error && !r.id.startsWith('flagstage'))
    .reduce((a, b) => (!a || b.brotli < a.brotli ? b : a), undefined)
  const lines = [
    '### Browser bundle sizes (esbuild --minify, ESM, browser, es2022; react external; kB = 1000 bytes)',
    '',
    '| entry | version | local rules | raw kB | gzip kB | brotli kB | brotli on top of core | × smallest local peer (brotli) |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const r of results) {
    if (r.error) { lines.push(`| ${r.id} | ${r.version} | | ${r.error} | | | | |`); continue }
    const base = r.base && results.find((b) => b.id === r.base && !b.error)
    const onTop = base ? `+${kB(r.brotli - base.brotli)}` : ''
    const name = r.id.startsWith('flagstage') ? `**${r.id}**` : r.id
    const local = r.local === true ? 'yes' : r.local === false ? 'no (server evaluates)' : r.local
    const ratio = smallestLocalPeer && !r.base ? `${(r.brotli / smallestLocalPeer.brotli).toFixed(2)}x` : ''
    lines.push(`| ${name} | ${r.version} | ${local} | ${kB(r.raw)} | ${kB(r.gzip)} | ${kB(r.brotli)} | ${onTop} | ${ratio} |`)
  }
  lines.push('', `Smallest local-evaluation peer: ${smallestLocalPeer?.id ?? '–'}. Entries are in bundle/; each builds a client from a one-flag inline config and evaluates it.`)
  return lines.join('\n')
}

if (process.argv[1] === SELF) {
  const onlyArg = process.argv.find((a) => a.startsWith('--only='))
  console.log(bundleTable(await run({ only: onlyArg?.slice(7).split(',') })))
}
