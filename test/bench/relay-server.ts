/**
 * The server side of `relay.bench.ts`, in its own process so its memory and event-loop delay are
 * the relay's alone: a plain passthrough proxy (node:http piping the upstream body: the
 * baseline), the relay with the memory store, and (with a Redis URL) the relay with the Redis
 * store, all forwarding to the upstream URL it is given. Talks to the parent over IPC.
 */
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createChatHandler } from '../../packages/server/src/create-chat-handler.ts'
import { createMemoryStreamStore } from '../../packages/server/src/memory-stream-store.ts'
import { toNodeListener } from '../../packages/server/src/node-listener.ts'
import { createRedisStreamStore } from '../../packages/server/src/redis-stream-store.ts'
import type { StreamStore } from '../../packages/server/src/stream-store.ts'

const [upstreamBase, redisUrl] = process.argv.slice(2) as [string, string | undefined]
const upstream = new URL(`${upstreamBase}/chat/completions`)

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  )
}

/** The baseline: the request goes upstream as it came, the answer's body is piped back. */
const proxy = createServer((incoming, outgoing) => {
  const forward = httpRequest(
    upstream,
    { method: 'POST', headers: { 'content-type': 'application/json' } },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(outgoing)
    },
  )
  incoming.pipe(forward)
  outgoing.on('close', () => forward.destroy())
})

function relay(store: StreamStore): Server {
  return createServer(
    toNodeListener(
      createChatHandler({
        provider: 'openai-chat',
        baseURL: upstreamBase,
        model: 'gpt-4o-mini',
        store,
      }),
    ),
  )
}

const stores: StreamStore[] = [createMemoryStreamStore()]
if (redisUrl) stores.push(createRedisStreamStore({ url: redisUrl, keyPrefix: 'bench:' }))
const servers = [proxy, ...stores.map(relay)]
const ports = await Promise.all(servers.map(listen))

const delay = monitorEventLoopDelay({ resolution: 10 })
let baseline = process.memoryUsage()

process.on('message', (message: { type: string }) => {
  switch (message.type) {
    case 'mark':
      globalThis.gc?.()
      baseline = process.memoryUsage()
      delay.reset()
      delay.enable()
      process.send?.({ type: 'marked' })
      return
    case 'sample': {
      const now = process.memoryUsage()
      process.send?.({
        type: 'sample',
        heapDelta: now.heapUsed - baseline.heapUsed,
        rssDelta: now.rss - baseline.rss,
        delay: {
          p50: delay.percentile(50) / 1e6,
          p99: delay.percentile(99) / 1e6,
          max: delay.max / 1e6,
        },
      })
      return
    }
    case 'stop':
      for (const server of servers) server.closeAllConnections()
      void Promise.all(stores.map((store) => store.close())).finally(() => process.exit(0))
      return
    default:
      return
  }
})
process.send?.({ type: 'ready', proxy: ports[0], memory: ports[1], redis: ports[2] })
