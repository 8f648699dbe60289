// Every subpath of the exports map resolves, with types, under moduleResolution node10.
import { createClient, http, type Client } from 'flagstage'
import { FlagsProvider, useFlag } from 'flagstage/react'
import { withContext, flagsMiddleware } from 'flagstage/node'
import * as server from 'flagstage/server'
import * as openfeature from 'flagstage/openfeature'
import * as unleash from 'flagstage/unleash'
import * as flagd from 'flagstage/flagd'
import * as testing from 'flagstage/testing'
import * as devtools from 'flagstage/devtools'

const client: Client = createClient({ source: http('https://cdn.example.com/flags.json') })
export const used = [client, FlagsProvider, useFlag, withContext, flagsMiddleware, server, openfeature, unleash, flagd, testing, devtools]
