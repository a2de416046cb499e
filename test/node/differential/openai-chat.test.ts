/**
 * Differential: every recorded OpenAI Chat Completions stream (`openai-chat/`, and the
 * OpenAI-compatible servers in `openai-compatible/`), served over real HTTP under several
 * chunkings, read by the official `openai` SDK (`chat.completions.stream`, its
 * `ChatCompletionStream` accumulator) and by Sluice: both must read the same answer.
 *
 * Mapping where the SDK models things differently:
 * - Choice: Sluice's message is choice 0 (`n > 1` streams interleave choices); the SDK's
 *   `choices[0]`.
 * - Refusal: the SDK's `message.refusal`; Sluice's text parts with `refusal: true`.
 * - Reasoning (`reasoning_content` / `reasoning`, sent by DeepSeek, xAI, OpenRouter…): not an
 *   OpenAI field, and the accumulator keeps only the last delta's value (`Object.assign`), so
 *   the reference is the concatenation of those fields in the chunks the SDK parsed.
 * - Usage: the SDK's final `usage` (the last chunk's wins: Perplexity sends it cumulatively).
 * - Tool input: the SDK's `arguments` string, parsed (`""` is `{}`, a tool without arguments).
 * - Streams the accumulator cannot read ({@link accumulatorCannotRead}: it throws, or joins
 *   content arrays as "[object Object]"): the reference is then the chunks the SDK parsed
 *   (`chat.completions.create({ stream: true })`), joined by the rules of PROTOCOLS.md §1 and §7
 *   in {@link joinChunks}: content strings and content-array `text` items are text, `thinking`
 *   items and `reasoning_content` are reasoning, tool calls are keyed by `index`.
 */
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixtureText, listFixtures } from '../../helpers/fixtures.ts'
import { chunkings, type FixtureServer, startFixtureServer } from './fixture-server.ts'
import { defined, type Reading, readingOf, readWithSluice } from './reading.ts'

let server: FixtureServer
beforeAll(async () => {
  server = await startFixtureServer()
})
afterAll(() => server.close())

/** Responses API streams recorded from an OpenAI-compatible server are read in `openai-responses.test.ts`. */
const fixtures = [...listFixtures('openai-chat'), ...listFixtures('openai-compatible')].filter(
  (path) => !path.includes('responses-api'),
)

/** Fixtures `ChatCompletionStream` cannot accumulate, and why. Sluice reads them all. */
const accumulatorCannotRead: Readonly<Record<string, string>> = {
  // Its accumulator indexes `tool_calls` by `index` into an array: a first index of 1 leaves a
  // hole, and it throws "Cannot read properties of undefined (reading 'type')".
  'openai-compatible/anthropic-openai-compat-tool-call-index-starts-at-1.sse': 'tool call index starts at 1',
  // Mistral sends a whole tool call without `type`: "tool call snapshot missing `type`".
  'openai-compatible/mistral-large-two-tool-calls-one-chunk.sse': 'tool calls without type',
  // Magistral's content is an array of thinking/text items; the accumulator joins it as strings.
  'openai-compatible/mistral-magistral-thinking-content-array.sse': 'content arrays',
}

function deltaReasoning(delta: Record<string, unknown> | undefined): string {
  if (delta === undefined) return ''
  for (const key of ['reasoning_content', 'reasoning']) if (typeof delta[key] === 'string') return delta[key]
  return ''
}

async function readWithOpenAI(): Promise<Reading> {
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, maxRetries: 0 })
  const stream = client.chat.completions.stream({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: 'Hi' }],
    stream_options: { include_usage: true },
  })
  let reasoning = ''
  stream.on('chunk', (chunk) => {
    const choice = chunk.choices.find((candidate) => candidate.index === 0)
    reasoning += deltaReasoning(choice?.delta as Record<string, unknown> | undefined)
  })
  const completion = await stream.finalChatCompletion()
  const choice = completion.choices.find((candidate) => candidate.index === 0)
  const message = choice?.message
  return defined({
    text: message?.content ?? '',
    refusal: message?.refusal ?? undefined,
    reasoning: reasoning === '' ? undefined : reasoning,
    toolCalls: (message?.tool_calls ?? []).flatMap((call) =>
      call.type === 'function'
        ? [
            {
              id: call.id,
              name: call.function.name,
              input: JSON.parse(call.function.arguments || '{}') as unknown,
            },
          ]
        : [],
    ),
    finishReason: choice?.finish_reason ?? undefined,
    inputTokens: completion.usage?.prompt_tokens,
    outputTokens: completion.usage?.completion_tokens,
  })
}

interface JoinedCall {
  id: string
  name: string
  arguments: string
}

/** The answer of choice 0 from the chunks the SDK parsed (see the mapping above). */
async function joinChunks(): Promise<Reading> {
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, maxRetries: 0 })
  const stream = await client.chat.completions.create({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: 'Hi' }],
    stream: true,
    stream_options: { include_usage: true },
  })
  const reading: Reading = { text: '', toolCalls: [] }
  let reasoning = ''
  const calls = new Map<number, JoinedCall>()
  for await (const chunk of stream) {
    if (chunk.usage) {
      reading.inputTokens = chunk.usage.prompt_tokens
      reading.outputTokens = chunk.usage.completion_tokens
    }
    const choice = chunk.choices.find((candidate) => candidate.index === 0)
    if (choice === undefined) continue
    const delta = choice.delta as Record<string, unknown>
    const content: unknown = delta.content
    if (typeof content === 'string') reading.text += content
    else if (Array.isArray(content)) {
      for (const item of content as Array<{
        type?: string
        text?: string
        thinking?: Array<{ text?: string }>
      }>) {
        if (item.type === 'text') reading.text += item.text ?? ''
        if (item.type === 'thinking')
          reasoning += (item.thinking ?? []).map((piece) => piece.text ?? '').join('')
      }
    }
    reasoning += deltaReasoning(delta)
    for (const call of choice.delta.tool_calls ?? []) {
      const joined = calls.get(call.index) ?? { id: '', name: '', arguments: '' }
      if (call.id) joined.id = call.id
      if (call.function?.name) joined.name = call.function.name
      joined.arguments += call.function?.arguments ?? ''
      calls.set(call.index, joined)
    }
    if (choice.finish_reason) reading.finishReason = choice.finish_reason
  }
  if (reasoning !== '') reading.reasoning = reasoning
  reading.toolCalls = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, call]) => ({
      id: call.id,
      name: call.name,
      input: JSON.parse(call.arguments || '{}') as unknown,
    }))
  return defined(reading)
}

describe('openai-chat fixtures: the openai SDK and Sluice read the same answer', () => {
  it('has fixtures to compare', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(18)
  })

  it('the accumulator really cannot read the streams the chunks stand in for', async () => {
    for (const path of Object.keys(accumulatorCannotRead)) {
      server.serve({ body: fixtureText(path), contentType: 'text/event-stream', sizes: [] })
      const outcome = await readWithOpenAI().then(
        (reading) => reading.text,
        (error: unknown) => String(error),
      )
      expect(outcome, path).toMatch(/Error|\[object Object\]/)
    }
  })

  for (const path of fixtures) {
    it(path, async () => {
      for (const sizes of chunkings) {
        server.serve({ body: fixtureText(path), contentType: 'text/event-stream', sizes })
        const reference = path in accumulatorCannotRead ? await joinChunks() : await readWithOpenAI()
        const message = await readWithSluice(server, '/v1/chat/completions', 'openai-chat')
        expect(message.status, `${path} in chunks of ${sizes.join(',') || 'one'}`).toBe('complete')
        expect(defined(readingOf(message)), `${path} in chunks of ${sizes.join(',') || 'one'}`).toEqual(
          reference,
        )
      }
    })
  }
})

describe('openai-chat fixtures cut anywhere: Sluice keeps the text the SDK had shown', () => {
  const cuts = [0.2, 0.4, 0.6, 0.8, 0.95]
  for (const path of fixtures.filter((name) => !(name in accumulatorCannotRead))) {
    it(path, async () => {
      const bytes = new TextEncoder().encode(fixtureText(path))
      for (const fraction of cuts) {
        const where = `${path} cut at ${Math.round(fraction * 100)}%`
        const cut = new TextDecoder().decode(bytes.subarray(0, Math.floor(bytes.length * fraction)))
        server.serve({ body: cut, contentType: 'text/event-stream', sizes: [61] })
        const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, maxRetries: 0 })
        const stream = client.chat.completions.stream({
          model: 'gpt-4o',
          messages: [{ role: 'user', content: 'Hi' }],
        })
        let shown = ''
        // Choice 0's text as the SDK parsed it (its `content` event mixes every choice of n > 1).
        stream.on('chunk', (chunk) => {
          const content = chunk.choices.find((choice) => choice.index === 0)?.delta.content
          if (typeof content === 'string') shown += content
        })
        await stream.done().catch(() => {})
        const message = await readWithSluice(server, '/v1/chat/completions', 'openai-chat')
        expect(readingOf(message).text, where).toBe(shown)
        // A cut body is never an error: interrupted, or complete when the finish reason came.
        expect(['interrupted', 'complete'], where).toContain(message.status)
      }
    })
  }
})
