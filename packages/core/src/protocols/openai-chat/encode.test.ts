import fc from 'fast-check'
import OpenAI from 'openai'
import { describe, expect, it, vi } from 'vitest'
import { chunkedBytes, fixtureText } from '../../../../../test/helpers/fixtures.ts'
import type { ChatEvent } from '../../events.ts'
import { serializeFrames } from '../../framing/serialize-frame.ts'
import type { FinishReason, Message, MessagePart, Usage } from '../../message.ts'
import type { Frame } from '../../protocol.ts'
import { decodeChunks } from '../test-helpers/decode-chunks.ts'
import { encodeFrames } from '../test-helpers/encode-frames.ts'
import { onlyMessage } from '../test-helpers/only-message.ts'
import { openaiChatProtocol } from './decode.ts'
import { type OpenAIChatEncoderOptions, openaiChatCodec } from './encode.ts'

vi.mock('react', () => ({}))

/** Bytes → SSE frames → the decoder → events, as a client reads them. */
function decodeEvents(chunks: readonly (Uint8Array | string)[]): ChatEvent[] {
  return decodeChunks(openaiChatProtocol, chunks)
}

function encodeEvents(events: readonly ChatEvent[], options?: OpenAIChatEncoderOptions): Frame[] {
  return encodeFrames(openaiChatCodec, events, options)
}

/** The chunks of an encoded stream, parsed; `[DONE]` stays a string. */
function encodeChunks(events: readonly ChatEvent[], options?: OpenAIChatEncoderOptions): unknown[] {
  return encodeEvents(events, options).map((frame) =>
    frame.data === '[DONE]' ? frame.data : JSON.parse(frame.data),
  )
}

/** What a user sees of a message: parts without the wire's block ids, status, finish reason, usage. */
function visible(message: Message) {
  return {
    status: message.status,
    finishReason: message.finishReason,
    usage: message.usage,
    parts: message.parts.map((part: MessagePart) => {
      if (part.type === 'text' || part.type === 'reasoning') {
        const { id: _id, ...rest } = part
        return rest
      }
      return part
    }),
  }
}

const m = 'm1'

describe('openaiChatCodec.createEncoder', () => {
  it('sends the chunks OpenAI sends for a text answer, then the usage chunk and [DONE]', () => {
    const chunks = encodeChunks(
      [
        { type: 'message-start', messageId: m },
        { type: 'text-start', messageId: m, id: 't' },
        { type: 'text-delta', messageId: m, id: 't', delta: 'Hello' },
        { type: 'text-delta', messageId: m, id: 't', delta: ' world' },
        { type: 'text-end', messageId: m, id: 't' },
        { type: 'usage', messageId: m, usage: { inputTokens: 5, outputTokens: 2 } },
        { type: 'message-end', messageId: m, finishReason: 'stop' },
      ],
      { model: 'gpt-4o-2024-08-06', responseId: 'chatcmpl-abc', created: 1727346168, includeUsage: true },
    )
    const head = {
      id: 'chatcmpl-abc',
      object: 'chat.completion.chunk',
      created: 1727346168,
      model: 'gpt-4o-2024-08-06',
      service_tier: 'default',
      system_fingerprint: 'fp_sluice',
    }
    const choice = (delta: object, finish: string | null = null) => ({
      ...head,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      usage: null,
    })
    expect(chunks).toEqual([
      choice({ role: 'assistant', content: '', refusal: null }),
      choice({ content: 'Hello' }),
      choice({ content: ' world' }),
      choice({}, 'stop'),
      {
        ...head,
        choices: [],
        usage: {
          prompt_tokens: 5,
          completion_tokens: 2,
          total_tokens: 7,
          prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
          completion_tokens_details: {
            reasoning_tokens: 0,
            audio_tokens: 0,
            accepted_prediction_tokens: 0,
            rejected_prediction_tokens: 0,
          },
        },
      },
      '[DONE]',
    ])
    // Key order as OpenAI sends it (some clients log or diff the raw JSON).
    expect(Object.keys(chunks[0] as object)).toEqual([
      'id',
      'object',
      'created',
      'model',
      'service_tier',
      'system_fingerprint',
      'choices',
      'usage',
    ])
  })

  it('without includeUsage sends no usage chunk and no usage field', () => {
    const chunks = encodeChunks([
      { type: 'message-start', messageId: m },
      { type: 'text-delta', messageId: m, id: 't', delta: 'Hi' },
      { type: 'usage', messageId: m, usage: { inputTokens: 5, outputTokens: 2 } },
      { type: 'message-end', messageId: m, finishReason: 'stop' },
    ]) as Record<string, unknown>[]
    expect(chunks).toHaveLength(4)
    for (const chunk of chunks.slice(0, 3)) expect(chunk).not.toHaveProperty('usage')
    expect(chunks[3]).toBe('[DONE]')
  })

  it('tool calls: the first fragment carries id, type, name and arguments "", the rest only index and arguments', () => {
    const chunks = encodeChunks([
      { type: 'message-start', messageId: m },
      { type: 'tool-call-start', messageId: m, toolCallId: 'call_a', toolName: 'get_weather' },
      { type: 'tool-call-delta', messageId: m, toolCallId: 'call_a', delta: '{"city":' },
      { type: 'tool-call-delta', messageId: m, toolCallId: 'call_a', delta: '"Paris"}' },
      { type: 'tool-call-end', messageId: m, toolCallId: 'call_a' },
      {
        type: 'tool-call-end',
        messageId: m,
        toolCallId: 'call_b',
        toolName: 'get_time',
        input: { zone: 'CET' },
      },
      { type: 'message-end', messageId: m, finishReason: 'tool-calls' },
    ]) as { choices: { delta: unknown; finish_reason: unknown }[] }[]
    expect(
      chunks.slice(0, -1).map((chunk) => [chunk.choices[0]?.delta, chunk.choices[0]?.finish_reason]),
    ).toEqual([
      [{ role: 'assistant', content: null }, null],
      [
        {
          tool_calls: [
            { index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } },
          ],
        },
        null,
      ],
      [{ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, null],
      [{ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }, null],
      [
        {
          tool_calls: [
            { index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } },
          ],
        },
        null,
      ],
      [{ tool_calls: [{ index: 1, function: { arguments: '{"zone":"CET"}' } }] }, null],
      [{}, 'tool_calls'],
    ])
  })

  it('reasoning goes out as reasoning_content and a refusal as refusal', () => {
    const chunks = encodeChunks([
      { type: 'message-start', messageId: m },
      { type: 'reasoning-delta', messageId: m, id: 'r', delta: 'Hmm.' },
      { type: 'text-start', messageId: m, id: 'x', refusal: true },
      { type: 'text-delta', messageId: m, id: 'x', delta: "I can't help." },
      { type: 'message-end', messageId: m, finishReason: 'content-filter', rawFinishReason: 'stop' },
    ]) as { choices: { delta: unknown; finish_reason: unknown }[] }[]
    expect(
      chunks.slice(0, -1).map((chunk) => [chunk.choices[0]?.delta, chunk.choices[0]?.finish_reason]),
    ).toEqual([
      [{ role: 'assistant', content: null, reasoning_content: '' }, null],
      [{ reasoning_content: 'Hmm.' }, null],
      [{ refusal: "I can't help." }, null],
      [{}, 'stop'],
    ])
  })

  it('a message-error is sent as the mid-stream error payload, and no [DONE] follows', () => {
    const frames = encodeEvents([
      { type: 'message-start', messageId: m },
      { type: 'text-delta', messageId: m, id: 't', delta: 'Part' },
      {
        type: 'message-error',
        messageId: m,
        error: { message: 'The server had an error while processing your request.' },
      },
    ])
    expect(JSON.parse(frames.at(-1)!.data)).toEqual({
      error: {
        message: 'The server had an error while processing your request.',
        type: 'server_error',
        param: null,
        code: null,
      },
    })
    const message = onlyMessage(decodeEvents([serializeFrames(frames, 'sse')]))
    expect(message.status).toBe('error')
    expect(message.error?.message).toBe('The server had an error while processing your request.')
  })

  it('an interrupted message sends no [DONE], so the reader sees a cut-off stream', () => {
    const frames = encodeEvents([
      { type: 'message-start', messageId: m },
      { type: 'text-delta', messageId: m, id: 't', delta: 'Part' },
      { type: 'message-interrupt', messageId: m },
    ])
    expect(frames.some((frame) => frame.data === '[DONE]')).toBe(false)
    const message = onlyMessage(decodeEvents([serializeFrames(frames, 'sse')]))
    expect(message.status).toBe('interrupted')
    expect(message.parts).toMatchObject([{ type: 'text', text: 'Part' }])
  })
})

/** One block of an arbitrary answer. */
type Block =
  | { kind: 'text' | 'reasoning' | 'refusal'; pieces: string[] }
  | { kind: 'tool'; name: string; input: Record<string, unknown>; cuts: number[] }

const pieces = fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), {
  minLength: 1,
  maxLength: 5,
})
const blockArbitrary: fc.Arbitrary<Block> = fc.oneof(
  fc.record({ kind: fc.constantFrom('text' as const, 'reasoning' as const, 'refusal' as const), pieces }),
  fc.record({
    kind: fc.constant('tool' as const),
    name: fc.constantFrom('get_weather', 'search', 'read_file', 'run_code'),
    input: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 })),
    cuts: fc.array(fc.nat(), { maxLength: 6 }),
  }),
)

/** Adjacent blocks of the same kind are one block on the wire (OpenAI has no block boundaries). */
function mergeAdjacent(blocks: readonly Block[]): Block[] {
  const merged: Block[] = []
  for (const block of blocks) {
    const previous = merged.at(-1)
    if (
      previous !== undefined &&
      previous.kind !== 'tool' &&
      block.kind !== 'tool' &&
      previous.kind === block.kind
    ) {
      merged[merged.length - 1] = { kind: block.kind, pieces: [...previous.pieces, ...block.pieces] }
    } else merged.push(block)
  }
  return merged
}

function toEvents(blocks: readonly Block[], usage: Usage, lengthFinish: boolean): ChatEvent[] {
  const events: ChatEvent[] = [{ type: 'message-start', messageId: m, role: 'assistant' }]
  for (const [position, block] of blocks.entries()) {
    const id = `b${position}`
    if (block.kind === 'tool') {
      const toolCallId = `call_${position}`
      const json = JSON.stringify(block.input)
      const cuts = [...new Set(block.cuts.map((cut) => cut % (json.length + 1)))].sort((a, b) => a - b)
      events.push({ type: 'tool-call-start', messageId: m, toolCallId, toolName: block.name })
      let from = 0
      for (const cut of [...cuts, json.length]) {
        if (cut > from)
          events.push({ type: 'tool-call-delta', messageId: m, toolCallId, delta: json.slice(from, cut) })
        from = Math.max(from, cut)
      }
      events.push({ type: 'tool-call-end', messageId: m, toolCallId })
    } else if (block.kind === 'reasoning') {
      events.push({ type: 'reasoning-start', messageId: m, id })
      for (const delta of block.pieces) events.push({ type: 'reasoning-delta', messageId: m, id, delta })
      events.push({ type: 'reasoning-end', messageId: m, id })
    } else {
      events.push(
        block.kind === 'refusal'
          ? { type: 'text-start', messageId: m, id, refusal: true }
          : { type: 'text-start', messageId: m, id },
      )
      for (const delta of block.pieces) events.push({ type: 'text-delta', messageId: m, id, delta })
      events.push({ type: 'text-end', messageId: m, id })
    }
  }
  const refusal = blocks.some((block) => block.kind === 'refusal')
  const tools = blocks.some((block) => block.kind === 'tool')
  const finishReason: FinishReason = refusal
    ? 'content-filter'
    : tools
      ? 'tool-calls'
      : lengthFinish
        ? 'length'
        : 'stop'
  events.push({ type: 'usage', messageId: m, usage })
  events.push({ type: 'message-end', messageId: m, finishReason })
  return events
}

const usageArbitrary = fc
  .record({
    inputTokens: fc.nat({ max: 100_000 }),
    outputTokens: fc.nat({ max: 100_000 }),
    reasoningTokens: fc.nat({ max: 1000 }),
    cachedInputTokens: fc.nat({ max: 1000 }),
  })
  .map((usage): Usage => ({ ...usage, totalTokens: usage.inputTokens + usage.outputTokens }))

describe('openai-chat round trip', () => {
  it('events → encode → SSE bytes → any chunking → decode gives the message the events give directly', () => {
    fc.assert(
      fc.property(
        fc.array(blockArbitrary, { maxLength: 8 }).map(mergeAdjacent),
        usageArbitrary,
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 40 }),
        (blocks, usage, lengthFinish, sizes) => {
          const events = toEvents(blocks, usage, lengthFinish)
          const direct = onlyMessage(events)
          const body = serializeFrames(encodeEvents(events, { includeUsage: true }), 'sse')
          const decoded = onlyMessage(decodeEvents(chunkedBytes(body, sizes)))
          expect(visible(decoded)).toEqual(visible(direct))
        },
      ),
      { numRuns: 200 },
    )
  })

  it('encodeResponse → decodeResponse gives the same message', () => {
    fc.assert(
      fc.property(
        fc.array(blockArbitrary, { maxLength: 6 }).map(mergeAdjacent),
        usageArbitrary,
        (blocks, usage) => {
          // A whole body has one content, one refusal and one reasoning field: one block of each kind at most.
          const kinds = new Set<string>()
          const single = blocks.filter(
            (block) => block.kind === 'tool' || (!kinds.has(block.kind) && kinds.add(block.kind)),
          )
          // …in the order the decoder reads a message's fields: reasoning, content, refusal, tool calls.
          const order = { reasoning: 0, text: 1, refusal: 2, tool: 3 }
          single.sort((a, b) => order[a.kind] - order[b.kind])
          const events = toEvents(single, usage, false)
          const body = openaiChatCodec.encodeResponse(events)
          expect(visible(onlyMessage(openaiChatProtocol.decodeResponse(body)))).toEqual(
            visible(onlyMessage(events)),
          )
        },
      ),
      { numRuns: 100 },
    )
  })
})

/** The payloads of a fixture, parsed, without `[DONE]`. */
function fixtureChunks(path: string): Record<string, unknown>[] {
  return fixtureText(path)
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map((line) => JSON.parse(line.slice('data: '.length)) as Record<string, unknown>)
}

describe('re-encoding a decoded fixture gives the chunks OpenAI sent', () => {
  for (const path of [
    'openai-chat/text-gpt4o-usage.sse',
    'openai-chat/refusal-gpt4o.sse',
    'openai-chat/parallel-tool-calls-gpt4o-usage.sse',
    'openai-chat/finish-length-max-tokens-gpt4o.sse',
    'openai-chat/text-gpt41nano-obfuscation-usage.chunks.txt',
  ]) {
    it(path, () => {
      const original = fixtureChunks(path)
      const events = decodeEvents([fixtureText(path)])
      const encoded = encodeChunks(events, { includeUsage: true })
      expect(encoded.at(-1)).toBe('[DONE]')
      const chunks = encoded.slice(0, -1) as Record<string, unknown>[]
      expect(chunks).toHaveLength(original.length)
      for (const [position, chunk] of chunks.entries()) {
        const expected = original[position]!
        // Same response id, model and fingerprint on every chunk; the same choices, deltas and finish reasons.
        expect(chunk.id).toBe(expected.id)
        expect(chunk.object).toBe('chat.completion.chunk')
        expect(chunk.model).toBe(expected.model)
        expect(chunk.system_fingerprint).toBe(expected.system_fingerprint)
        expect(chunk.choices).toEqual(expected.choices)
        if (expected.usage) {
          const usage = expected.usage as Record<string, unknown>
          expect(chunk.usage).toMatchObject({
            prompt_tokens: usage.prompt_tokens,
            completion_tokens: usage.completion_tokens,
            total_tokens: usage.total_tokens,
            completion_tokens_details: usage.completion_tokens_details,
          })
        }
      }
    })
  }

  it('the top-level fields are those of a current OpenAI chunk (all but the random obfuscation padding)', () => {
    const path = 'openai-chat/text-gpt41nano-obfuscation-usage.chunks.txt'
    const original = fixtureChunks(path)
    const encoded = encodeChunks(decodeEvents([fixtureText(path)]), { includeUsage: true }).slice(
      0,
      -1,
    ) as object[]
    for (const [position, chunk] of encoded.entries()) {
      const expectedKeys = Object.keys(original[position]!).filter((key) => key !== 'obfuscation')
      expect(Object.keys(chunk)).toEqual(expectedKeys)
    }
    expect(encoded.at(-1)).toEqual({ ...original.at(-1), obfuscation: undefined, created: 0 })
  })
})

describe('openaiChatCodec.encodeError', () => {
  it.each([
    [400, 'invalid_request_error', null],
    [401, 'invalid_request_error', 'invalid_api_key'],
    [404, 'invalid_request_error', 'model_not_found'],
    [429, 'requests', 'rate_limit_exceeded'],
    [500, 'server_error', null],
    [503, 'server_error', null],
  ])('status %i → type %s, code %s, and decodeError reads it back', (status, type, code) => {
    const body = openaiChatCodec.encodeError(status, 'Something went wrong.')
    expect(body).toEqual({ error: { message: 'Something went wrong.', type, param: null, code } })
    expect(openaiChatProtocol.decodeError(body, status)).toEqual({
      message: 'Something went wrong.',
      code: code ?? type,
      status,
    })
  })

  it('takes an explicit code', () => {
    expect(
      openaiChatCodec.encodeError(429, 'You exceeded your current quota.', { code: 'insufficient_quota' }),
    ).toEqual({
      error: {
        message: 'You exceeded your current quota.',
        type: 'requests',
        param: null,
        code: 'insufficient_quota',
      },
    })
  })
})

describe('the official openai SDK reads the encoded stream', () => {
  const events: ChatEvent[] = [
    { type: 'message-start', messageId: m },
    { type: 'text-delta', messageId: m, id: 't', delta: 'Checking the weather.' },
    { type: 'tool-call-start', messageId: m, toolCallId: 'call_1', toolName: 'get_weather' },
    { type: 'tool-call-delta', messageId: m, toolCallId: 'call_1', delta: '{"city":"Pa' },
    { type: 'tool-call-delta', messageId: m, toolCallId: 'call_1', delta: 'ris"}' },
    { type: 'tool-call-end', messageId: m, toolCallId: 'call_1' },
    { type: 'usage', messageId: m, usage: { inputTokens: 12, outputTokens: 9 } },
    { type: 'message-end', messageId: m, finishReason: 'tool-calls' },
  ]

  function client(body: () => string | object, init: ResponseInit) {
    return new OpenAI({
      apiKey: 'test',
      maxRetries: 0,
      fetch: async () => {
        const value = body()
        return new Response(typeof value === 'string' ? value : JSON.stringify(value), init)
      },
    })
  }

  it('stream: true, through ChatCompletionStream.finalChatCompletion()', async () => {
    const sdk = client(
      () => serializeFrames(encodeEvents(events, { includeUsage: true, model: 'gpt-4o' }), 'sse'),
      {
        headers: { 'content-type': 'text/event-stream' },
      },
    )
    const stream = sdk.chat.completions.stream({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Weather?' }],
    })
    const completion = await stream.finalChatCompletion()
    const choice = completion.choices[0]!
    expect(choice.message.content).toBe('Checking the weather.')
    expect(choice.message.tool_calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ])
    expect(choice.finish_reason).toBe('tool_calls')
    expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 })
  })

  it('stream: false, and an HTTP error', async () => {
    const sdk = client(() => openaiChatCodec.encodeResponse(events, { model: 'gpt-4o' }) as object, {
      headers: { 'content-type': 'application/json' },
    })
    const completion = await sdk.chat.completions.create({ model: 'gpt-4o', messages: [] })
    expect(completion.choices[0]?.message.content).toBe('Checking the weather.')
    expect(completion.choices[0]?.message.tool_calls?.[0]).toMatchObject({ id: 'call_1' })
    const failing = client(() => openaiChatCodec.encodeError(401, 'Incorrect API key provided.') as object, {
      status: 401,
      headers: { 'content-type': 'application/json' },
    })
    const error = await failing.chat.completions
      .create({ model: 'gpt-4o', messages: [] })
      .catch((caught) => caught)
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError)
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error' })
  })
})
