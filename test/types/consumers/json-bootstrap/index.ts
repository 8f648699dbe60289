// A config imported as JSON (TypeScript widens "schemaVersion": 1 to number, "op" to string).
import { createClient, staticSource } from 'flagstage'
import config from './flags.json'

export const client = createClient({ bootstrap: config })
export const fromStatic = createClient({ source: staticSource(config), bootstrap: config })
