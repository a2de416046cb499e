/**
 * One relay instance in its own process, for the multi-instance tests (which kill it with
 * SIGKILL mid-stream). Configured by the environment; prints `listening <url>` when ready.
 *
 *   RELAY_PROVIDER_URL  the provider's API root (a loopback OpenAI-wire server)
 *   RELAY_REDIS_URL     the Redis both instances share
 *   RELAY_KEY_PREFIX    the store's key prefix
 *   RELAY_LEASE         the store's leaseDuration, ms
 *   RELAY_CLIENT        the client protocol (default: passthrough)
 */
import type { ProtocolId } from '@sluice/core'
import { createChatHandler } from '../../../packages/server/src/create-chat-handler.ts'
import { createRedisStreamStore } from '../../../packages/server/src/redis-stream-store.ts'
import { startRelay } from './servers.ts'

const environment = process.env
const relay = await startRelay(
  createChatHandler({
    provider: 'openai-chat',
    baseURL: environment.RELAY_PROVIDER_URL!,
    apiKey: 'sk-test-key',
    model: 'gpt-4o-mini',
    ...(environment.RELAY_CLIENT ? { clientProtocol: environment.RELAY_CLIENT as ProtocolId } : {}),
    store: createRedisStreamStore({
      url: environment.RELAY_REDIS_URL!,
      keyPrefix: environment.RELAY_KEY_PREFIX ?? 'sluice:stream:',
      leaseDuration: Number(environment.RELAY_LEASE ?? 10_000),
    }),
  }),
)
process.stdout.write(`listening ${relay.url}\n`)
// The parent's exit (or its pipe closing) ends this process too: nothing outlives the test.
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
