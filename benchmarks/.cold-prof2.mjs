import { createClient } from 'flagstage'
import { coldConfigJson } from './configs/generate.mjs'
const json = coldConfigJson('flagstage', 10000)
const parsed = JSON.parse(json)
for (let i = 0; i < 20; i++) { globalThis.gc(); createClient({ bootstrap: parsed }).close() }
