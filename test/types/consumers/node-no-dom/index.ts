// A Node service: no DOM lib, library types checked (skipLibCheck: false), ESM.
import { configure, createClient, http, isEnabled, localStorageCache, sse, staticSource, type Logger } from 'flagstage'
import { file, fileCache, withContext } from 'flagstage/node'

const logger: Logger = { warn: (m) => process.stderr.write(`${m}\n`), error: (m) => process.stderr.write(`${m}\n`) }
const client = createClient({ source: file('./flags.json'), cache: fileCache('/tmp/flags.json'), logger })
configure({ source: http('https://cdn.example.com/flags.json', { fetch: (url, init) => fetch(url, init) }) })
export const answers = [client.isEnabled('x'), isEnabled('x'), withContext({ userId: 'u' }, () => isEnabled('x'))]
export const sources = [sse('https://flags.example.com/stream'), staticSource({ schemaVersion: 1, flags: {} }), localStorageCache()]
