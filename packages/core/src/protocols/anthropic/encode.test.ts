import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { chunkedBytes, fixtureBody, fixtureText } from '../../../../../test/helpers/fixtures.ts'
import type { ChatEvent } from '../../events.ts'
import { createFramer } from '../../framing/create-framer.ts'
import { serializeFrames } from '../../framing/serialize-frame.ts'
import type { FinishReason, Message, Usage } from '../../message.ts'
import type { Frame } from '../../protocol.ts'
import { decodeChunks } from '../test-helpers/decode-chunks.ts'
import { encodeFrames } from '../test-helpers/encode-frames.ts'
import { onlyMessage } from '../test-helpers/only-message.ts'
import { anthropicProtocol } from './decode.ts'
import { anthropicCodec } from './encode.ts'

vi.mock('react', () => ({}))

const messageId = 'm1'

function decodeEvents(chunks: readonly Uint8Array[]): ChatEvent[] {
  return decodeChunks(anthropicProtocol, chunks, { messageId })
}

function decodeText(body: string): ChatEvent[] {
  return decodeEvents([new TextEncoder().encode(body)])
}

function encode(
  events: readonly ChatEvent[],
  options = { responseId: 'msg_test', model: 'claude-test' },
): Frame[] {
  return encodeFrames(anthropicCodec, events, options)
}

/** What a user sees of a message: status, parts, finish reason, usage, error. Not wire ids or metadata. */
function visible(message: Message) {
  return {
    status: message.status,
    finishReason: message.finishReason,
    usage: message.usage,
    // An interruption's explanation is the decoder's own words (the wire cannot carry one).
    error:
      message.status === 'error' && message.error !== undefined
        ? { message: message.error.message, code: message.error.code }
        : undefined,
    parts: message.parts.map((part) => {
      switch (part.type) {
        case 'text':
          return { type: part.type, text: part.text, state: part.state, refusal: part.refusal }
        case 'reasoning':
          return { type: part.type, text: part.text, state: part.state, signature: part.signature }
        case 'tool-call':
          return {
            type: part.type,
            toolCallId: part.toolCallId,
            toolName: part.toolName,
            state: part.state,
            inputText: part.inputText,
            input: part.input,
            providerExecuted: part.providerExecuted,
          }
        default:
          return part
      }
    }),
  }
}

// ---- arbitrary valid event sequences, within what the Messages wire can carry ----

const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
const chunks = fc.array(text, { maxLength: 5 })
const block = fc.oneof(
  fc.record({ kind: fc.constant('text' as const), chunks }),
  fc.record({
    kind: fc.constant('reasoning' as const),
    chunks,
    signature: fc.option(fc.string({ minLength: 1, maxLength: 24 }), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('tool' as const),
    name: fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,15}$/),
    input: fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), {
      maxKeys: 4,
    }),
    cuts: fc.array(fc.nat(), { maxLength: 6 }),
    // A server tool (`server_tool_use`), run by Anthropic.
    server: fc.boolean(),
  }),
)
// Anthropic reports no reasoning tokens, and cache reads are part of the input.
const usage = fc.record({ inputTokens: fc.nat(100_000), outputTokens: fc.nat(10_000), cached: fc.nat() }).map(
  ({ inputTokens, outputTokens, cached }): Usage => ({
    inputTokens,
    outputTokens,
    cachedInputTokens: cached % (inputTokens + 1),
    totalTokens: inputTokens + outputTokens,
  }),
)
const terminal = fc.oneof(
  fc.record({
    kind: fc.constant('end' as const),
    usage,
    finishReason: fc.constantFrom<FinishReason>('stop', 'length', 'tool-calls', 'content-filter', 'other'),
  }),
  fc.record({
    kind: fc.constant('error' as const),
    message: fc.string({ minLength: 1, maxLength: 40 }),
    code: fc.constantFrom('overloaded_error', 'api_error', 'rate_limit_error'),
  }),
  fc.record({ kind: fc.constant('interrupt' as const), partial: fc.option(block, { nil: undefined }) }),
)

type Block = typeof block extends fc.Arbitrary<infer T> ? T : never

/** The events of one block. `complete: false` stops before its end event (a cut stream). */
function blockEvents(item: Block, index: number, complete: boolean): ChatEvent[] {
  const events: ChatEvent[] = []
  switch (item.kind) {
    case 'text':
      events.push({ type: 'text-start', messageId, id: `t${index}` })
      for (const delta of item.chunks) events.push({ type: 'text-delta', messageId, id: `t${index}`, delta })
      if (complete) events.push({ type: 'text-end', messageId, id: `t${index}` })
      break
    case 'reasoning': {
      events.push({ type: 'reasoning-start', messageId, id: `r${index}` })
      for (const delta of item.chunks)
        events.push({ type: 'reasoning-delta', messageId, id: `r${index}`, delta })
      const end: ChatEvent = { type: 'reasoning-end', messageId, id: `r${index}` }
      if (item.signature !== undefined) end.signature = item.signature
      if (complete) events.push(end)
      break
    }
    case 'tool': {
      const toolCallId = `toolu_${index}`
      const start: ChatEvent = { type: 'tool-call-start', messageId, toolCallId, toolName: item.name }
      if (item.server) start.providerExecuted = true
      events.push(start)
      const json = JSON.stringify(item.input)
      const cuts = [...new Set(item.cuts.map((cut) => cut % (json.length + 1)))].sort((a, b) => a - b)
      let previous = 0
      for (const cut of [...cuts, json.length]) {
        if (cut > previous)
          events.push({ type: 'tool-call-delta', messageId, toolCallId, delta: json.slice(previous, cut) })
        previous = cut
      }
      if (complete) events.push({ type: 'tool-call-end', messageId, toolCallId })
      break
    }
  }
  return events
}

const scenario = fc
  .record({ blocks: fc.array(block, { maxLength: 5 }), terminal })
  .map(({ blocks, terminal }) => {
    const events: ChatEvent[] = [{ type: 'message-start', messageId }]
    blocks.forEach((item, index) => {
      events.push(...blockEvents(item, index, true))
    })
    if (terminal.kind === 'end') {
      events.push({
        type: 'message-end',
        messageId,
        finishReason: terminal.finishReason,
        usage: terminal.usage,
      })
    } else if (terminal.kind === 'error') {
      events.push({
        type: 'message-error',
        messageId,
        error: { message: terminal.message, code: terminal.code },
      })
    } else {
      if (terminal.partial !== undefined) events.push(...blockEvents(terminal.partial, blocks.length, false))
      events.push({ type: 'message-interrupt', messageId })
    }
    return events
  })

describe('anthropic encode → decode round trip', () => {
  it('any valid event sequence, encoded, serialized and split anywhere, decodes to the same message', () => {
    fc.assert(
      fc.property(scenario, fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 40 }), (events, sizes) => {
        const body = serializeFrames(encode(events), 'sse')
        const decoded = onlyMessage(decodeEvents(chunkedBytes(body, sizes)), messageId)
        expect(visible(decoded)).toEqual(visible(onlyMessage(events, messageId)))
      }),
      { numRuns: 150 },
    )
    // Generous: the machine running the suite may be busy; 150 runs take well under a second alone.
  }, 30_000)

  it('every event line equals the JSON type, and each block has one index, started, then stopped', () => {
    fc.assert(
      fc.property(scenario, (events) => {
        const open = new Set<number>()
        let next = 0
        for (const frame of encode(events)) {
          const data = JSON.parse(frame.data) as { type: string; index?: number }
          expect(frame.event).toBe(data.type)
          if (data.type === 'content_block_start') {
            expect(data.index).toBe(next++)
            open.add(data.index!)
          }
          if (data.type === 'content_block_delta') expect(open.has(data.index!)).toBe(true)
          if (data.type === 'content_block_stop') expect(open.delete(data.index!)).toBe(true)
        }
      }),
      { numRuns: 50 },
    )
  })

  it('encodes the same events to the same bytes every time', () => {
    const events = fc.sample(scenario, { seed: 7, numRuns: 1 })[0]!
    expect(serializeFrames(encode(events), 'sse')).toBe(serializeFrames(encode(events), 'sse'))
  })
})

// ---- re-encoding what a recorded stream decodes to gives the recorded stream's shape ----

type Json = Record<string, unknown>

/** The recorded payloads of a body, in order. */
function payloads(body: string): Json[] {
  const framer = createFramer('sse')
  return [...framer.push(body), ...framer.end()].map((frame) => JSON.parse(frame.data) as Json)
}

/**
 * The structure of a value: object keys (sorted) with the structure of their values, array
 * elements' structures, and the JSON type of everything else. `caller` (a field of the
 * tool-search beta) is left out.
 */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => shape(item))
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Json).filter(([name]) => name !== 'caller')
    return Object.fromEntries(
      entries.sort(([a], [b]) => a.localeCompare(b)).map(([name, item]) => [name, shape(item)]),
    )
  }
  return value === null ? 'null' : typeof value
}

function reencode(body: string): Json[] {
  return payloads(serializeFrames(encode(decodeText(body)), 'sse'))
}

describe('anthropic re-encoding recorded streams', () => {
  const multistep = fixtureBody(
    'anthropic-messages/multistep-tool-use-plus-server-tool-use-sonnet45.chunks.txt',
    {
      splitOnType: 'message_start',
    },
  )

  it.each([
    ['1 (text, tool_use, server_tool_use)', multistep[0]!],
    ['3 (text)', multistep[2]!],
  ])('multistep message %s: the same event types in the same order, with the same fields', (_, body) => {
    const recorded = payloads(body)
    const encoded = reencode(body)
    expect(encoded.map((payload) => payload.type)).toEqual(recorded.map((payload) => payload.type))
    for (const [index, payload] of encoded.entries()) expect(shape(payload)).toEqual(shape(recorded[index]))
  })

  it.each([
    'anthropic-messages/text-claude37sonnet.sse',
    'anthropic-messages/text-then-tool-use-claude37sonnet.sse',
    'anthropic-messages/extended-thinking-signature-claude37sonnet.sse',
    'anthropic-messages/sdk-ts-text-then-tool-use.sse',
    'anthropic-messages/docs-text-then-tool-use-get-weather.sse',
    'anthropic-messages/text-sonnet45-cache-usage.chunks.txt',
  ])('%s: the same event types in the same order', (path) => {
    const body = fixtureText(path)
    expect(reencode(body).map((payload) => payload.type)).toEqual(
      payloads(body).map((payload) => payload.type),
    )
  })

  it('re-encoded fixtures decode to the same message, signature included', () => {
    const body = fixtureText('anthropic-messages/extended-thinking-signature-claude37sonnet.sse')
    const original = onlyMessage(decodeText(body), messageId)
    const again = onlyMessage(decodeText(serializeFrames(encode(decodeText(body)), 'sse')), messageId)
    expect(visible(again)).toEqual(visible(original))
    expect(visible(again).parts[0]).toMatchObject({
      type: 'reasoning',
      signature: expect.stringMatching(/^ErUBCkYIARgC/),
    })
  })

  it('a mid-stream error is the docs error event, with no message_stop after it', () => {
    const frames = encode([
      { type: 'message-start', messageId },
      { type: 'text-delta', messageId, id: 't', delta: 'Hi' },
      { type: 'message-error', messageId, error: { message: 'Overloaded', code: 'overloaded_error' } },
    ])
    const last = frames.at(-1)!
    expect(last.event).toBe('error')
    expect(JSON.parse(last.data)).toEqual(
      payloads(fixtureText('anthropic-messages/docs-error-overloaded-event.sse'))[0],
    )
  })

  it('keeps the ids it is given', () => {
    const frames = encode(
      [
        { type: 'message-start', messageId },
        { type: 'tool-call-start', messageId, toolCallId: 'toolu_abc', toolName: 'f' },
        { type: 'tool-call-end', messageId, toolCallId: 'toolu_abc', input: { a: 1 } },
        { type: 'message-end', messageId },
      ],
      { responseId: 'msg_42', model: 'claude-opus-4-1-20250805' },
    ).map((frame) => JSON.parse(frame.data) as Json)
    expect(frames[0]).toMatchObject({
      type: 'message_start',
      message: { id: 'msg_42', model: 'claude-opus-4-1-20250805' },
    })
    expect(frames[1]).toMatchObject({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use', id: 'toolu_abc', name: 'f', input: {} },
    })
    expect(
      frames.filter((frame) => frame.type === 'content_block_delta').map((frame) => frame.delta),
    ).toEqual([
      { type: 'input_json_delta', partial_json: '' },
      { type: 'input_json_delta', partial_json: '{"a":1}' },
    ])
    // No finish reason given: a message whose last block is a client tool call stops for tool_use.
    expect(frames.at(-2)).toMatchObject({ type: 'message_delta', delta: { stop_reason: 'tool_use' } })
    expect(frames.at(-1)).toEqual({ type: 'message_stop' })
  })
})

describe('anthropic non-streaming body and HTTP errors', () => {
  it('encodeResponse gives the body decodeResponse reads back', () => {
    const events: ChatEvent[] = [
      { type: 'message-start', messageId },
      { type: 'reasoning-delta', messageId, id: 'r', delta: 'Plan.' },
      { type: 'reasoning-end', messageId, id: 'r', signature: 'sig' },
      { type: 'text-delta', messageId, id: 't', delta: 'Hello' },
      { type: 'text-end', messageId, id: 't' },
      { type: 'tool-call-start', messageId, toolCallId: 'toolu_1', toolName: 'lookup' },
      { type: 'tool-call-end', messageId, toolCallId: 'toolu_1', input: { q: 1 } },
      {
        type: 'message-end',
        messageId,
        finishReason: 'tool-calls',
        usage: { inputTokens: 1, outputTokens: 2 },
      },
    ]
    const body = anthropicCodec.encodeResponse!(events, { responseId: 'msg_5' }) as Json
    expect(body).toMatchObject({
      id: 'msg_5',
      type: 'message',
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Plan.', signature: 'sig' },
        { type: 'text', text: 'Hello' },
        { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 1 } },
      ],
      stop_reason: 'tool_use',
      usage: { input_tokens: 1, output_tokens: 2 },
    })
    const message = onlyMessage(anthropicProtocol.decodeResponse!(body, { messageId }), messageId)
    expect(message.parts).toMatchObject([
      { type: 'reasoning', text: 'Plan.', signature: 'sig' },
      { type: 'text', text: 'Hello' },
      { type: 'tool-call', toolCallId: 'toolu_1', toolName: 'lookup', input: { q: 1 } },
    ])
    expect(message.finishReason).toBe('tool-calls')
  })

  it.each([
    [529, 'Overloaded', 'overloaded_error'],
    [429, 'Number of request tokens has exceeded your per-minute rate limit', 'rate_limit_error'],
    [401, 'invalid x-api-key', 'authentication_error'],
    [400, 'max_tokens: Field required', 'invalid_request_error'],
    [500, 'Internal server error', 'api_error'],
  ])('encodeError(%i) is the Anthropic error body', (status, message, type) => {
    const body = anthropicCodec.encodeError!(status, message)
    expect(body).toEqual({ type: 'error', error: { type, message } })
    expect(anthropicProtocol.decodeError!(body, status)).toEqual({ message, code: type, status })
  })
})

describe('placeholder signatures for mocks', () => {
  const events: ChatEvent[] = [
    { type: 'message-start', messageId: 'm' },
    { type: 'reasoning-delta', messageId: 'm', id: 'r', delta: 'Plan.' },
    { type: 'reasoning-end', messageId: 'm', id: 'r' },
    { type: 'message-end', messageId: 'm', finishReason: 'stop' },
  ]
  const signatureDeltas = (body: string) =>
    body.split('\n').filter((line) => line.includes('"signature_delta"'))

  it('sends no signature it was not given, by default', () => {
    const encoder = anthropicCodec.createEncoder()
    const body = serializeFrames(
      [...events.flatMap((event) => encoder.encode(event)), ...encoder.end()],
      'sse',
    )
    expect(signatureDeltas(body)).toEqual([])
  })

  it('signs an unsigned thinking block with a stable placeholder when a mock asks, as the real API always signs', () => {
    const bodies = [1, 2].map(() => {
      const encoder = anthropicCodec.createEncoder({ placeholderSignatures: true })
      return serializeFrames([...events.flatMap((event) => encoder.encode(event)), ...encoder.end()], 'sse')
    })
    expect(signatureDeltas(bodies[0]!)).toHaveLength(1)
    expect(bodies[0]).toBe(bodies[1])
  })
})
