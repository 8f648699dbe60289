import { createClient } from 'flagstage'
import { coldConfigJson } from './configs/generate.mjs'
const json = coldConfigJson('flagstage', 10000)
const parsed = JSON.parse(json)
globalThis.keep = []
for (let i = 0; i < 3; i++) globalThis.keep.push(createClient({ bootstrap: parsed }))
