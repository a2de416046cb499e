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
import { openaiResponsesProtocol } from './decode.ts'
import { openaiResponsesCodec } from './encode.ts'

vi.mock('react', () => ({}))

const messageId = 'm1'

function decodeEvents(chunks: readonly Uint8Array[]): ChatEvent[] {
  return decodeChunks(openaiResponsesProtocol, chunks, { messageId })
}

function decodeText(body: string): ChatEvent[] {
  return decodeEvents([new TextEncoder().encode(body)])
}

function encode(
  events: readonly ChatEvent[],
  options = { responseId: 'resp_test', model: 'gpt-test' },
): Frame[] {
  return encodeFrames(openaiResponsesCodec, events, options)
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
          }
        default:
          return part
      }
    }),
  }
}

// ---- arbitrary valid event sequences, within what the Responses wire can carry ----

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
  }),
)
const usage = fc
  .record({
    inputTokens: fc.nat(100_000),
    outputTokens: fc.nat(10_000),
    reasoningTokens: fc.nat(10_000),
    cachedInputTokens: fc.nat(100_000),
  })
  .map((value): Usage => ({ ...value, totalTokens: value.inputTokens + value.outputTokens }))
const terminal = fc.oneof(
  fc.record({
    kind: fc.constant('end' as const),
    usage,
    cut: fc.constantFrom<FinishReason | 'natural'>('natural', 'length', 'content-filter'),
  }),
  fc.record({
    kind: fc.constant('error' as const),
    message: fc.string({ minLength: 1, maxLength: 40 }),
    code: fc.constantFrom('server_error', 'rate_limit_exceeded', 'insufficient_quota'),
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
      const toolCallId = `call_${index}`
      events.push({ type: 'tool-call-start', messageId, toolCallId, toolName: item.name })
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
    const hasTools = blocks.some((item) => item.kind === 'tool')
    if (terminal.kind === 'end') {
      const finishReason: FinishReason =
        terminal.cut === 'natural' ? (hasTools ? 'tool-calls' : 'stop') : terminal.cut
      events.push({ type: 'message-end', messageId, finishReason, usage: terminal.usage })
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

describe('openai-responses encode → decode round trip', () => {
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

  it('sequence_number increases by one from 0 and every event line equals the JSON type', () => {
    fc.assert(
      fc.property(scenario, (events) => {
        const frames = encode(events)
        frames.forEach((frame, index) => {
          const data = JSON.parse(frame.data) as { type: string; sequence_number: number }
          expect(frame.event).toBe(data.type)
          expect(data.sequence_number).toBe(index)
        })
      }),
      { numRuns: 50 },
    )
  })

  it('encodes the same events to the same bytes every time', () => {
    const events = fc.sample(scenario, { seed: 42, numRuns: 1 })[0]!
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
 * elements' structures, and the JSON type of everything else. `obfuscation` (random padding)
 * is left out; a `response` object is compared by its key set only, since its settings
 * (model, reasoning effort, tools) are the request's, not the stream's.
 */
function shape(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => shape(item))
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Json).filter(([name]) => name !== 'obfuscation')
    if (key === 'response') return entries.map(([name]) => name).sort()
    return Object.fromEntries(
      entries.sort(([a], [b]) => a.localeCompare(b)).map(([name, item]) => [name, shape(item, name)]),
    )
  }
  return value === null ? 'null' : typeof value
}

function reencode(body: string): Json[] {
  return payloads(serializeFrames(encode(decodeText(body)), 'sse'))
}

describe('openai-responses re-encoding recorded streams', () => {
  const multistep = fixtureBody(
    'openai-responses/multistep-reasoning-summary-function-calls-gpt51codexmax.chunks.txt',
    {
      splitOnType: 'response.created',
    },
  )

  it.each(multistep.map((body, index) => [index + 1, body] as const))(
    'multistep response %i: the same event types in the same order, with the same fields',
    (_, body) => {
      const recorded = payloads(body)
      const encoded = reencode(body)
      expect(encoded.map((payload) => payload.type)).toEqual(recorded.map((payload) => payload.type))
      for (const [index, payload] of encoded.entries()) {
        const original = { ...recorded[index]! }
        // The recording announces the encrypted reasoning at output_item.added already; Sluice
        // learns the signature only when the block ends, so it sends it at output_item.done.
        if (original.type === 'response.output_item.added' && typeof original.item === 'object') {
          const { encrypted_content: _encrypted, ...item } = original.item as Json
          original.item = item
        }
        expect(shape(payload)).toEqual(shape(original))
      }
    },
  )

  it.each([
    'openai-responses/parallel-function-calls-gpt4o.sse',
    'openai-responses/reasoning-summary-then-function-call-o4mini.sse',
    'openai-responses/text-gpt4.sse',
    'openai-responses/error-rate-limit-then-response-failed.sse',
  ])('%s: the same event types in the same order', (path) => {
    const body = fixtureText(path)
    expect(reencode(body).map((payload) => payload.type)).toEqual(
      payloads(body).map((payload) => payload.type),
    )
  })

  it('re-encoded fixtures decode to the same message', () => {
    const body = fixtureText('openai-responses/reasoning-summary-then-function-call-o4mini.sse')
    const original = onlyMessage(decodeText(body), messageId)
    const again = onlyMessage(decodeText(serializeFrames(encode(decodeText(body)), 'sse')), messageId)
    expect(visible(again)).toEqual(visible(original))
  })

  it('keeps the ids it is given and derives item ids from the response id', () => {
    const frames = encode(
      [
        { type: 'message-start', messageId },
        { type: 'text-delta', messageId, id: 't', delta: 'Hi' },
        { type: 'tool-call-start', messageId, toolCallId: 'call_abc', toolName: 'f' },
        { type: 'message-end', messageId },
      ],
      { responseId: 'resp_42', model: 'gpt-4o' },
    ).map((frame) => JSON.parse(frame.data) as Json)
    const created = frames[0] as { response: Json }
    expect(created.response).toMatchObject({
      id: 'resp_42',
      model: 'gpt-4o',
      status: 'in_progress',
      output: [],
    })
    const added = frames
      .filter((frame) => frame.type === 'response.output_item.added')
      .map((frame) => frame.item as Json)
    expect(added[0]?.id).toMatch(/^msg_42/)
    expect(added[1]).toMatchObject({ type: 'function_call', call_id: 'call_abc', name: 'f' })
    expect(added[1]?.id).toMatch(/^fc_42/)
    const completed = frames.at(-1) as { type: string; response: { output: Json[]; status: string } }
    expect(completed.type).toBe('response.completed')
    expect(completed.response.output.map((item) => item.type)).toEqual(['message', 'function_call'])
  })
})

describe('openai-responses non-streaming body and HTTP errors', () => {
  it('encodeResponse gives the body decodeResponse reads back', () => {
    const events: ChatEvent[] = [
      { type: 'message-start', messageId },
      { type: 'reasoning-delta', messageId, id: 'r', delta: 'Plan.' },
      { type: 'reasoning-end', messageId, id: 'r' },
      { type: 'text-delta', messageId, id: 't', delta: 'Hello' },
      { type: 'text-end', messageId, id: 't' },
      { type: 'tool-call-start', messageId, toolCallId: 'call_1', toolName: 'lookup' },
      { type: 'tool-call-end', messageId, toolCallId: 'call_1', input: { q: 1 } },
      {
        type: 'message-end',
        messageId,
        finishReason: 'tool-calls',
        usage: { inputTokens: 1, outputTokens: 2 },
      },
    ]
    const body = openaiResponsesCodec.encodeResponse!(events, { responseId: 'resp_5' }) as Json
    expect(body).toMatchObject({ id: 'resp_5', object: 'response', status: 'completed' })
    const message = onlyMessage(openaiResponsesProtocol.decodeResponse!(body, { messageId }), messageId)
    expect(message.parts).toMatchObject([
      { type: 'reasoning', text: 'Plan.' },
      { type: 'text', text: 'Hello' },
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'lookup', input: { q: 1 } },
    ])
    expect(message.finishReason).toBe('tool-calls')
    expect(message.usage).toMatchObject({ inputTokens: 1, outputTokens: 2, totalTokens: 3 })
  })

  it.each([
    [429, 'Rate limit reached for gpt-4o', 'requests', 'rate_limit_exceeded'],
    [401, 'Incorrect API key provided', 'invalid_request_error', 'invalid_api_key'],
    [500, 'The server had an error while processing your request.', 'server_error', null],
  ])('encodeError(%i) is the OpenAI error body', (status, message, type, code) => {
    const body = openaiResponsesCodec.encodeError!(status, message)
    expect(body).toEqual({ error: { message, type, param: null, code } })
    expect(openaiResponsesProtocol.decodeError!(body, status)).toEqual({
      message,
      code: code ?? type,
      status,
    })
  })
})
