/**
 * `npm run dev:backends`: start every reference backend on its fixed port and print where each
 * one listens. `--echo` prints every observation (requests, chunks, cancels) as JSON lines;
 * `--only=seed-001,seed-004,relay` starts some of them. `relay` is the development `@sluice/server`
 * relay (`backends/relay/`; a Redis store when `REDIS_URL` is set). Ctrl+C stops them all.
 *
 * @module
 */

import { startDevRelay } from './relay/dev-relay.ts'
import { startSeed000Server } from './seed-000-openai-compatible.ts'
import { startSeed001Server } from './seed-001-stream-chunk.ts'
import { startSeed002Server } from './seed-002-stream-delta.ts'
import { startSeed003Server } from './seed-003-agent-events.ts'
import { startSeed004Python } from './seed-004-python.ts'
import { startSeed004SocketIoServer } from './seed-004-socketio.ts'

/** The fixed development ports (documented in `backends/README.md`). */
export const developmentPorts = {
  'seed-000': 8700,
  'seed-001': 8701,
  'seed-002': 8702,
  'seed-003': 8703,
  'seed-004': 8704,
  'seed-004-socketio': 8705,
  relay: 8706,
} as const

type SeedName = keyof typeof developmentPorts

const echo = process.argv.includes('--echo')
const onlyArgument = process.argv.find((argument) => argument.startsWith('--only='))
const only = onlyArgument === undefined ? undefined : new Set(onlyArgument.slice('--only='.length).split(','))
const wanted = (name: SeedName) => only === undefined || only.has(name)

const closers: (() => Promise<void>)[] = []
const rows: string[] = []
const playground = 'http://localhost:5173/'

async function start(
  name: SeedName,
  run: () => Promise<{ close(): Promise<void> }>,
  describe: string,
): Promise<void> {
  if (!wanted(name)) return
  try {
    const backend = await run()
    closers.push(() => backend.close())
    rows.push(`${name.padEnd(18)} ${describe}`)
  } catch (error) {
    rows.push(`${name.padEnd(18)} did not start: ${error instanceof Error ? error.message : String(error)}`)
  }
}

const port = developmentPorts
await start(
  'seed-000',
  () => startSeed000Server({ port: port['seed-000'], echo }),
  `http://127.0.0.1:${port['seed-000']}/v1   (openai-chat + inlineTags)  ${playground}?backend=http://127.0.0.1:${port['seed-000']}/v1&backendProtocol=openai-chat&backendInlineTags=1`,
)
await start(
  'seed-001',
  () => startSeed001Server({ port: port['seed-001'], echo }),
  `http://127.0.0.1:${port['seed-001']}/stream, ws://127.0.0.1:${port['seed-001']}/ws   (stream-chunk)`,
)
await start(
  'seed-002',
  () => startSeed002Server({ port: port['seed-002'], echo }),
  `http://127.0.0.1:${port['seed-002']}/stream, ws://127.0.0.1:${port['seed-002']}/ws   (stream-delta)`,
)
await start(
  'seed-003',
  () => startSeed003Server({ port: port['seed-003'], echo }),
  `http://127.0.0.1:${port['seed-003']}/stream, ws://127.0.0.1:${port['seed-003']}/ws   (agent-events)`,
)
await start(
  'seed-004',
  () => startSeed004Python({ port: port['seed-004'], echo }),
  `ws://127.0.0.1:${port['seed-004']}/ws   (message-events, FastAPI)  ${playground}?backend=ws://127.0.0.1:${port['seed-004']}/ws&backendProtocol=message-events`,
)
await start(
  'seed-004-socketio',
  () => startSeed004SocketIoServer({ port: port['seed-004-socketio'], echo }),
  `http://127.0.0.1:${port['seed-004-socketio']}   (message-events over Socket.IO)`,
)

const redisUrl = process.env.REDIS_URL
await start(
  'relay',
  () =>
    startDevRelay({
      port: port.relay,
      echo,
      ...(redisUrl === undefined || redisUrl === '' ? {} : { redisUrl }),
    }),
  `http://127.0.0.1:${port.relay}/v1/chat/completions   (@sluice/server relay, provider mocked by MSW, ${redisUrl ? 'Redis store' : 'memory store'}; resume on)`,
)

process.stdout.write(
  `Sluice reference backends (logs: GET <http url>/log; knobs: backends/README.md)\n${rows.join('\n')}\n`,
)

let stopping = false
async function shutDown(): Promise<void> {
  if (stopping) return
  stopping = true
  await Promise.allSettled(closers.map((close) => close()))
  process.exit(0)
}
process.on('SIGINT', () => void shutDown())
process.on('SIGTERM', () => void shutDown())
