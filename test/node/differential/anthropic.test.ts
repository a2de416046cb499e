/**
 * Differential: every recorded Anthropic Messages stream (`anthropic-messages/`; a file the
 * recorder concatenated is split into its responses at each `message_start`), served over real
 * HTTP under several chunkings, read by the official `@anthropic-ai/sdk` (`messages.stream`,
 * `finalMessage()`) and by Sluice: both must read the same answer.
 *
 * Mapping where the SDK models things differently:
 * - Content blocks: `text` blocks are Sluice's text, `thinking` blocks its reasoning, `tool_use`
 *   and `server_tool_use` blocks its tool calls. A server tool's result block
 *   (`web_search_tool_result`, `tool_search_tool_result`, …) is the `output` of its call; when
 *   the call was in an earlier response, Sluice shows the result as a call of its own (id
 *   `tool_use_id`, the tool named after the block type, no input), as the SDK shows the block.
 * - A recording that lost its trailing blank line: the SDK's SSE decoder does not dispatch a
 *   last event at end of body (WHATWG says to), so it misses `message_stop` and rejects
 *   ("stream ended without producing a Message"). The SDK then reads the body with the blank
 *   line restored; Sluice reads the recorded bytes (and the test proves the SDK's rejection).
 * - Usage: `usage.input_tokens` / `output_tokens` of the final message (`message_delta`'s
 *   cumulative counts over `message_start`'s), as Sluice reports them.
 * - A tool input cut by `max_tokens` before `content_block_stop`: the SDK keeps the partial JSON
 *   parsed as far as it goes; Sluice keeps the input text and marks the call (compared apart).
 * - An `error` event: the SDK rejects with an `APIError` whose `error.error.message` is the
 *   provider's message; Sluice ends `error` with that message, keeping the text before it.
 */
import Anthropic from '@anthropic-ai/sdk'
import { partialParse } from '@anthropic-ai/sdk/_vendor/partial-json-parser/parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { messageToolCalls } from '../../../packages/core/src/message.ts'
import { fixtureBody, listFixtures } from '../../helpers/fixtures.ts'
import { chunkings, type FixtureServer, startFixtureServer } from './fixture-server.ts'
import { defined, type Reading, readingOf, readWithSluice } from './reading.ts'

let server: FixtureServer
beforeAll(async () => {
  server = await startFixtureServer()
})
afterAll(() => server.close())

/** Every response of every fixture: `[name, body]`. */
const streams = listFixtures('anthropic-messages').flatMap((path) =>
  fixtureBody(path, { splitOnType: 'message_start' }).map(
    (body, index, all) => [all.length > 1 ? `${path} #${index + 1}` : path, body] as const,
  ),
)

/** The provider's message in an SDK error: the `error` event's own `error.message`. */
function providerMessage(error: unknown): string {
  const body = (error as { error?: { error?: { message?: unknown } } }).error
  const message = body?.error?.message
  return typeof message === 'string' ? message : String(error)
}

/** The body ends without the blank line that dispatches its last event. */
function lostTrailingBlankLine(body: string): boolean {
  return !/\n\n$/.test(body)
}

async function readWithAnthropic(): Promise<Reading & { partialText: string }> {
  const client = new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 })
  const stream = client.messages.stream({
    model: 'claude-opus-4-5',
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Hi' }],
  })
  let partialText = ''
  stream.on('text', (delta) => {
    partialText += delta
  })
  try {
    const message = await stream.finalMessage()
    let text = ''
    let reasoning = ''
    const toolCalls: Reading['toolCalls'] = []
    for (const block of message.content) {
      if (block.type === 'text') text += block.text
      else if (block.type === 'thinking') reasoning += block.thinking
      else if (block.type === 'tool_use' || block.type === 'server_tool_use')
        toolCalls.push({ id: block.id, name: block.name, input: block.input })
      else if (block.type.endsWith('_tool_result') && 'tool_use_id' in block) {
        const call = toolCalls.find((candidate) => candidate.id === block.tool_use_id)
        if (call !== undefined) call.output = block.content
        else
          toolCalls.push({
            id: block.tool_use_id,
            name: block.type.slice(0, -'_tool_result'.length),
            input: undefined,
            output: block.content,
          })
      }
    }
    return {
      ...defined({
        text,
        reasoning: reasoning === '' ? undefined : reasoning,
        toolCalls,
        finishReason: message.stop_reason ?? undefined,
        inputTokens: message.usage.input_tokens,
        outputTokens: message.usage.output_tokens,
      }),
      partialText,
    }
  } catch (error) {
    return { text: partialText, toolCalls: [], error: providerMessage(error), partialText }
  }
}

describe('anthropic fixtures: @anthropic-ai/sdk and Sluice read the same answer', () => {
  it('has streams to compare', () => {
    expect(streams.length).toBeGreaterThanOrEqual(13)
  })

  for (const [name, body] of streams) {
    it(name, async () => {
      for (const sizes of chunkings) {
        const where = `${name} in chunks of ${sizes.join(',') || 'one'}`
        server.serve({ body, contentType: 'text/event-stream', sizes })
        const message = await readWithSluice(server, '/v1/messages', 'anthropic')
        if (lostTrailingBlankLine(body)) {
          expect((await readWithAnthropic()).error, where).toContain(
            'stream ended without producing a Message',
          )
          server.serve({ body: `${body}\n\n`, contentType: 'text/event-stream', sizes })
        }
        const { partialText, ...reference } = await readWithAnthropic()
        const reading = defined(readingOf(message))
        if (reference.error !== undefined) {
          expect(message.status, where).toBe('error')
          expect(reading.error, where).toBe(reference.error)
          expect(reading.text, where).toBe(partialText)
          continue
        }
        expect(message.status, where).toBe('complete')
        if (name.includes('max-tokens-truncated-tool-input')) {
          // The cut input: the SDK's partial parse, Sluice's input text (see the mapping above).
          const cut = messageToolCalls(message).at(-1)
          const sdkCut = reference.toolCalls.at(-1)
          expect(cut?.toolName, where).toBe(sdkCut?.name)
          expect(cut?.input, where).toBeUndefined()
          // The same bytes: the SDK's own partial parser reads Sluice's input text as the SDK's input.
          expect(partialParse(cut?.inputText ?? ''), where).toEqual(sdkCut?.input)
          expect(Object.keys(sdkCut?.input ?? {}).length, where).toBeGreaterThan(0)
          reading.toolCalls = reading.toolCalls.slice(0, -1)
          reference.toolCalls = reference.toolCalls.slice(0, -1)
        }
        expect(reading, where).toEqual(reference)
      }
    })
  }
})

function parses(json: string): boolean {
  try {
    JSON.parse(json)
    return true
  } catch {
    return false
  }
}

describe('anthropic fixtures cut anywhere: Sluice keeps the text the SDK had shown', () => {
  const cuts = [0.15, 0.3, 0.45, 0.6, 0.75, 0.9, 0.97]
  for (const [name, body] of streams.filter(([, text]) => text.includes('text_delta'))) {
    it(name, async () => {
      const bytes = new TextEncoder().encode(body)
      for (const fraction of cuts) {
        // Cut on a byte, possibly inside a frame or a multi-byte character.
        const cut = new TextDecoder().decode(bytes.subarray(0, Math.floor(bytes.length * fraction)))
        const where = `${name} cut at ${Math.round(fraction * 100)}%`
        server.serve({ body: cut, contentType: 'text/event-stream', sizes: [61] })
        const { partialText } = await readWithAnthropic()
        const message = await readWithSluice(server, '/v1/messages', 'anthropic')
        expect(readingOf(message).text, where).toBe(partialText)
        // Cut before message_delta is whole: interrupted; after (stop reason and usage seen, a
        // last event flushed at the end of the body as PROTOCOLS.md §0 says): complete.
        const finished = cut
          .split('\n')
          .some(
            (line) => line.startsWith('data:') && line.includes('"message_delta"') && parses(line.slice(5)),
          )
        expect(message.status, where).toBe(finished ? 'complete' : 'interrupted')
      }
    })
  }
})
