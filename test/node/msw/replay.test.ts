/**
 * `replay()`: recorded provider streams served byte for byte, with their timing.
 */
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { collectMessage, messageText } from '../../../packages/core/src/index.ts'
import { anthropic, ollama, openai, replay } from '../../../packages/msw/src/index.ts'
import { fixtureText, readFixtureText } from '../../helpers/fixtures.ts'
import { requestFor } from './requests.ts'

vi.mock('react', () => ({}))

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

describe('replay', () => {
  it('serves a recorded Anthropic stream byte for byte and records the call', async () => {
    const body = readFixtureText('anthropic-messages/text-claude37sonnet.sse')
    const mock = anthropic.messages(replay('anthropic', body, { timing: { chunkSizes: [1, 9], seed: 3 } }))
    server.use(mock)
    const { url, init } = requestFor('anthropic')
    const response = await fetch(url, init)
    expect(await response.text()).toBe(body)
    expect(mock.lastCall).toMatchObject({ completed: true, body: { stream: true } })
  })

  it('serves a .chunks.txt payload file once rebuilt into SSE, and Sluice reads it', async () => {
    const body = fixtureText('openai-chat/text-gpt41nano-obfuscation-usage.chunks.txt')
    server.use(openai.chatCompletions(replay('openai-chat', body)))
    const { url, init } = requestFor('openai-chat')
    const replayed = await collectMessage((await fetch(url, init)).body!, 'openai-chat')
    const direct = await collectMessage(new Response(body).body!, 'openai-chat')
    expect(replayed.status).toBe('complete')
    expect(messageText(replayed)).toBe(messageText(direct))
  })

  it("plays an Ollama recording with its own timing (the lines' created_at)", async () => {
    // 37 lines recorded from 18:32:37.256 to 18:32:38.767: about 1.5 s.
    const body = readFixtureText('ollama-chat/text-granite3-dense-final-stats.ndjson')
    server.use(ollama.chat(replay('ollama', body, { timing: 'recorded' })))
    const { url, init } = requestFor('ollama')
    const started = performance.now()
    const text = await (await fetch(url, init)).text()
    const elapsed = performance.now() - started
    expect(text).toBe(body)
    expect(elapsed).toBeGreaterThanOrEqual(1300)
    expect(elapsed).toBeLessThan(4000)
  })

  it('explicit per-event delays and a disconnect fault apply to a recording', async () => {
    const body = readFixtureText('ollama-chat/two-tool-calls-qwen3-14b.ndjson')
    server.use(
      ollama.chat(
        replay('ollama', body, {
          timing: { delays: [0, 60, 0] },
          faults: { disconnect: { afterEvents: 2, mode: 'close' } },
        }),
      ),
    )
    const { url, init } = requestFor('ollama')
    const started = performance.now()
    const text = await (await fetch(url, init)).text()
    expect(performance.now() - started).toBeGreaterThanOrEqual(50)
    // The first two lines, not the final `done` line.
    expect(text).toBe(`${body.split('\n').slice(0, 2).join('\n')}\n`)
  })
})
