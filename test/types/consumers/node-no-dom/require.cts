// The same from CommonJS (the .d.cts types).
import flagstage = require('flagstage')
import node = require('flagstage/node')

export const client = flagstage.createClient({ source: node.file('./flags.json') })
