import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { fixtureText } from '../../../../../test/helpers/fixtures.ts'
import type { ChatEvent } from '../../events.ts'
import { createFramer } from '../../framing/create-framer.ts'
import { serializeFrames } from '../../framing/serialize-frame.ts'
import type { FinishReason, Message, Usage } from '../../message.ts'
import type { EncoderOptions } from '../../protocol.ts'
import { initialChatState, reduceChat } from '../../reducer.ts'
import { collectBody } from '../test-helpers/collect-body.ts'
import { geminiProtocol } from './decode.ts'
import { geminiCodec } from './encode.ts'

// Core must never need React.
vi.mock('react', () => ({}))

function collect(body: string, sizes: readonly number[] = []): Promise<Message> {
  return collectBody(body, sizes, geminiProtocol, 'm1')
}

/** The JSON payload of every SSE event of a body. */
function payloads(body: string): Record<string, unknown>[] {
  // Gemini's mid-stream error body is bare JSON appended to the SSE stream: read those lines too.
  const framer = createFramer('sse', { rawLines: true })
  return [...framer.push(body), ...framer.end()].map(
    (frame) => JSON.parse(frame.data) as Record<string, unknown>,
  )
}

function decodeAll(body: string): ChatEvent[] {
  const decoder = geminiProtocol.createDecoder({ messageId: 'm1' })
  const framer = createFramer('sse')
  return [...framer.push(body), ...framer.end()]
    .flatMap((frame) => decoder.decode(frame))
    .concat(decoder.end())
}

function encode(
  events: readonly ChatEvent[],
  options: EncoderOptions = { model: 'gemini-2.5-flash', responseId: 'r1' },
) {
  const encoder = geminiCodec.createEncoder(options)
  return serializeFrames([...events.flatMap((event) => encoder.encode(event)), ...encoder.end()], 'sse')
}

/** What a user sees of a message, without ids the wire cannot carry and without part states. */
function visible(message: Message) {
  const complete = message.status === 'complete'
  return {
    status: message.status,
    finishReason: complete ? message.finishReason : undefined,
    usage: complete ? message.usage : undefined,
    error: message.status === 'error' ? message.error?.message : undefined,
    parts: message.parts.map((part) => {
      if (part.type === 'text') return { type: part.type, text: part.text }
      // A signature reaches the wire with the part after the reasoning, so only a finished
      // message is sure to have it.
      if (part.type === 'reasoning') {
        return complete && part.signature !== undefined
          ? { type: part.type, text: part.text, signature: part.signature }
          : { type: part.type, text: part.text }
      }
      if (part.type === 'tool-call') {
        const { toolCallId, toolName, state, input, inputText } = part
        return { type: part.type, toolCallId, toolName, state, input, inputText }
      }
      return part
    }),
  }
}

type Block =
  | { kind: 'text'; deltas: string[] }
  | { kind: 'reasoning'; deltas: string[]; signature: string | null }
  | { kind: 'tool'; name: string; input: Record<string, unknown> }
type Terminal =
  | { kind: 'end'; finishReason: FinishReason; usage: Usage }
  | { kind: 'error'; message: string }
  | { kind: 'interrupt' }

const textArbitrary = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
const deltasArbitrary = fc.array(textArbitrary, { minLength: 1, maxLength: 4 })
// Through JSON once, so the input is exactly what a JSON wire can carry (no -0, no undefined).
const inputArbitrary = fc
  .dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })
  .map((input) => JSON.parse(JSON.stringify(input)) as Record<string, unknown>)
const blockArbitrary: fc.Arbitrary<Block> = fc.oneof(
  fc.record({ kind: fc.constant('text' as const), deltas: deltasArbitrary }),
  fc.record({
    kind: fc.constant('reasoning' as const),
    deltas: deltasArbitrary,
    signature: fc.option(fc.base64String({ minLength: 4, maxLength: 40 })),
  }),
  fc.record({
    kind: fc.constant('tool' as const),
    name: fc.stringMatching(/^[a-zA-Z_]{1,12}$/),
    input: inputArbitrary,
  }),
)
// Two text (or two reasoning) blocks in a row are one block on a wire without block boundaries.
const blocksArbitrary = fc
  .array(blockArbitrary, { maxLength: 6 })
  .filter((blocks) =>
    blocks.every(
      (block, index) => index === 0 || block.kind === 'tool' || blocks[index - 1]!.kind !== block.kind,
    ),
  )

const usageArbitrary = fc
  .record({ inputTokens: fc.nat(100_000), outputTokens: fc.nat(100_000), reasoningTokens: fc.nat(100_000) })
  .map(
    (usage): Usage => ({
      ...usage,
      totalTokens: usage.inputTokens + usage.outputTokens + usage.reasoningTokens,
    }),
  )

function terminalArbitrary(hasTools: boolean): fc.Arbitrary<Terminal> {
  return fc.oneof(
    fc.record({
      kind: fc.constant('end' as const),
      // Gemini says STOP after function calls too; that reads as tool-calls.
      finishReason: fc.constantFrom<FinishReason>(
        hasTools ? 'tool-calls' : 'stop',
        'length',
        'content-filter',
        'error',
        'other',
      ),
      usage: usageArbitrary,
    }),
    fc.record({ kind: fc.constant('error' as const), message: textArbitrary }),
    fc.constant({ kind: 'interrupt' as const }),
  )
}

const scenarioArbitrary = blocksArbitrary.chain((blocks) =>
  fc.record({
    blocks: fc.constant(blocks),
    terminal: terminalArbitrary(blocks.some((block) => block.kind === 'tool')),
    sizes: fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 40 }),
  }),
)

function toEvents(blocks: readonly Block[], terminal: Terminal): ChatEvent[] {
  const messageId = 'm1'
  const events: ChatEvent[] = [{ type: 'message-start', messageId, role: 'assistant' }]
  let toolIndex = 0
  blocks.forEach((block, index) => {
    if (block.kind === 'tool') {
      // The ids Gemini's decoder gives calls the wire does not name.
      const toolCallId = `call_${toolIndex++}`
      events.push(
        { type: 'tool-call-start', messageId, toolCallId, toolName: block.name },
        { type: 'tool-call-delta', messageId, toolCallId, delta: JSON.stringify(block.input) },
        { type: 'tool-call-end', messageId, toolCallId, input: block.input },
      )
      return
    }
    const id = `${block.kind}-${index}`
    if (block.kind === 'text') {
      events.push({ type: 'text-start', messageId, id })
      for (const delta of block.deltas) events.push({ type: 'text-delta', messageId, id, delta })
      events.push({ type: 'text-end', messageId, id })
      return
    }
    events.push({ type: 'reasoning-start', messageId, id })
    for (const delta of block.deltas) events.push({ type: 'reasoning-delta', messageId, id, delta })
    events.push(
      block.signature === null
        ? { type: 'reasoning-end', messageId, id }
        : { type: 'reasoning-end', messageId, id, signature: block.signature },
    )
  })
  if (terminal.kind === 'end') {
    events.push({
      type: 'message-end',
      messageId,
      finishReason: terminal.finishReason,
      usage: terminal.usage,
    })
  } else if (terminal.kind === 'error') {
    events.push({ type: 'message-error', messageId, error: { message: terminal.message } })
  } else {
    events.push({ type: 'message-interrupt', messageId })
  }
  return events
}

/** Gemini detail lists Sluice does not model (per-modality token counts). */
function withoutDetails(chunk: Record<string, unknown>): Record<string, unknown> {
  const usage = chunk.usageMetadata as Record<string, unknown> | undefined
  if (usage === undefined) return chunk
  const { promptTokensDetails, candidatesTokensDetails, ...rest } = usage
  return { ...chunk, usageMetadata: rest }
}

/** The parts of every chunk in order, without the empty unsigned text parts that only close a stream. */
function partStream(chunks: readonly Record<string, unknown>[]): unknown[] {
  return chunks.flatMap((chunk) => {
    const candidates = chunk.candidates as { content: { parts: Record<string, unknown>[] } }[]
    return candidates[0]!.content.parts.filter(
      (part) => !(part.text === '' && part.thoughtSignature === undefined),
    )
  })
}

describe('Gemini encoder', () => {
  it('round-trips any event sequence through the wire, however it is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async ({ blocks, terminal, sizes }) => {
        const events = toEvents(blocks, terminal)
        const direct = reduceChat(initialChatState, events).messages.m1!
        const decoded = await collect(encode(events), sizes)
        expect(visible(decoded)).toEqual(visible(direct))
      }),
      { numRuns: 200 },
    )
  })

  it.each([
    [
      'gemini-sse/thought-summaries-then-function-call-gemini3pro.sse',
      'gemini-3-pro-preview',
      'B94haYr_OovWjMcPjJy_6Qk',
    ],
    [
      'gemini-sse/text-trailing-thought-signature-gemini3pro.chunks.txt',
      'gemini-3-pro-preview',
      'bH6LaZW8Fp_3nsEPqtaSwQ4',
    ],
  ])('re-encodes the decoded %s chunk for chunk', (path, model, responseId) => {
    const original = payloads(fixtureText(path))
    const encoded = payloads(encode(decodeAll(fixtureText(path)), { model, responseId }))
    expect(encoded).toEqual(original.map(withoutDetails))
  })

  it.each([
    [
      'gemini-sse/parallel-function-calls-thought-signature-gemini25flash.sse',
      'gemini-2.5-flash',
      '9zN1acDXGvaFz7IPxOOaiAU',
    ],
    ['gemini-sse/text-after-tool-results-gemini25flash.sse', 'gemini-2.5-flash', '-DN1afHXGcjQz7IP4YfJ2Qw'],
  ])('re-encodes the decoded %s with the same parts, finish and usage', (path, model, responseId) => {
    const original = payloads(fixtureText(path)).map(withoutDetails)
    const encoded = payloads(encode(decodeAll(fixtureText(path)), { model, responseId }))
    expect(partStream(encoded)).toEqual(partStream(original))
    const last = (chunks: Record<string, unknown>[]) => {
      const { content, ...candidate } = (chunks.at(-1)!.candidates as Record<string, unknown>[])[0]!
      return { ...chunks.at(-1), candidates: [candidate] }
    }
    expect(last(encoded)).toEqual(last(original))
    for (const chunk of encoded) expect(Object.keys(chunk)).toEqual(Object.keys(original[0]!))
  })

  it('writes the chunks Gemini writes', () => {
    const chunks = payloads(
      encode([
        { type: 'message-start', messageId: 'm1' },
        { type: 'reasoning-delta', messageId: 'm1', id: 'r', delta: 'Hmm.' },
        { type: 'reasoning-end', messageId: 'm1', id: 'r', signature: 'c2ln' },
        { type: 'tool-call-start', messageId: 'm1', toolCallId: 'a', toolName: 'weather' },
        { type: 'tool-call-delta', messageId: 'm1', toolCallId: 'a', delta: '{"city":"Oslo"}' },
        { type: 'tool-call-end', messageId: 'm1', toolCallId: 'a' },
        { type: 'usage', messageId: 'm1', usage: { inputTokens: 3, outputTokens: 4 } },
        { type: 'message-end', messageId: 'm1', finishReason: 'tool-calls' },
      ]),
    )
    const tail = { modelVersion: 'gemini-2.5-flash', responseId: 'r1' }
    expect(chunks).toEqual([
      {
        candidates: [{ content: { parts: [{ text: 'Hmm.', thought: true }], role: 'model' }, index: 0 }],
        ...tail,
      },
      {
        candidates: [
          {
            content: {
              parts: [
                { functionCall: { name: 'weather', args: { city: 'Oslo' } }, thoughtSignature: 'c2ln' },
              ],
              role: 'model',
            },
            index: 0,
          },
        ],
        ...tail,
      },
      {
        candidates: [{ content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
        usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 7 },
        ...tail,
      },
    ])
  })

  it.each<[FinishReason, string]>([
    ['stop', 'STOP'],
    ['tool-calls', 'STOP'],
    ['length', 'MAX_TOKENS'],
    ['content-filter', 'SAFETY'],
    ['error', 'MALFORMED_FUNCTION_CALL'],
    ['other', 'OTHER'],
  ])('writes finish reason %s as %s', (finishReason, expected) => {
    const chunks = payloads(encode([{ type: 'message-end', messageId: 'm1', finishReason }]))
    expect((chunks[0]!.candidates as { finishReason: string }[])[0]!.finishReason).toBe(expected)
  })

  it('writes a mid-stream error as a bare Google error object (not SSE) and nothing after it', () => {
    const body = encode([
      { type: 'text-delta', messageId: 'm1', id: 't', delta: 'Hi' },
      {
        type: 'message-error',
        messageId: 'm1',
        error: { message: 'The model is overloaded.', status: 503 },
      },
      { type: 'text-delta', messageId: 'm1', id: 't', delta: 'ignored' },
    ])
    expect(body).toMatch(/\n\n\{\n {2}"error": \{\n/)
    const chunks = payloads(body)
    expect(chunks).toHaveLength(2)
    expect(chunks[1]).toEqual({
      error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' },
    })
  })

  it('writes the generateContent body that decodes to the same message', () => {
    const events = toEvents(
      [
        { kind: 'reasoning', deltas: ['Let me ', 'think.'], signature: 'c2ln' },
        { kind: 'text', deltas: ['Sunny ', 'today.'] },
        { kind: 'tool', name: 'weather', input: { city: 'Oslo' } },
      ],
      {
        kind: 'end',
        finishReason: 'tool-calls',
        usage: { inputTokens: 5, outputTokens: 7, reasoningTokens: 3, totalTokens: 15 },
      },
    )
    const body = geminiCodec.encodeResponse!(events, { model: 'gemini-2.5-flash', responseId: 'r1' })
    expect(body).toEqual({
      candidates: [
        {
          content: {
            parts: [
              { text: 'Let me think.', thought: true },
              { text: 'Sunny today.', thoughtSignature: 'c2ln' },
              { functionCall: { name: 'weather', args: { city: 'Oslo' } } },
            ],
            role: 'model',
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: {
        promptTokenCount: 5,
        candidatesTokenCount: 7,
        totalTokenCount: 15,
        thoughtsTokenCount: 3,
      },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'r1',
    })
    const decoded = reduceChat(initialChatState, geminiProtocol.decodeResponse!(body, { messageId: 'm1' }))
      .messages.m1!
    expect(visible(decoded)).toEqual(visible(reduceChat(initialChatState, events).messages.m1!))
  })

  it.each([
    [400, 'INVALID_ARGUMENT'],
    [401, 'UNAUTHENTICATED'],
    [403, 'PERMISSION_DENIED'],
    [404, 'NOT_FOUND'],
    [429, 'RESOURCE_EXHAUSTED'],
    [500, 'INTERNAL'],
    [503, 'UNAVAILABLE'],
    [504, 'DEADLINE_EXCEEDED'],
  ])('writes Google’s error body for HTTP %i (%s)', (status, name) => {
    const body = geminiCodec.encodeError!(status, 'Something went wrong.')
    expect(body).toEqual({ error: { code: status, message: 'Something went wrong.', status: name } })
    expect(geminiProtocol.decodeError!(body, status)).toEqual({
      message: 'Something went wrong.',
      code: name,
      status,
    })
  })

  it('keeps a status name the caller gives', () => {
    expect(geminiCodec.encodeError!(400, 'Bad key.', { code: 'FAILED_PRECONDITION' })).toEqual({
      error: { code: 400, message: 'Bad key.', status: 'FAILED_PRECONDITION' },
    })
  })
})
