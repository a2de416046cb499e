import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { collectMessage } from '../../collect-message.ts'
import type { ChatEvent } from '../../events.ts'
import { type Message, messageText, messageToolCalls } from '../../message.ts'
import type { Frame, Framing } from '../../protocol.ts'
import { initialChatState, reduceChat } from '../../reducer.ts'
import { decodeWire as decodeWireEvents } from '../test-helpers/decode-wire.ts'
import { encodeFrames } from '../test-helpers/encode-frames.ts'
import { withoutInterruptError } from '../test-helpers/without-interrupt-error.ts'
import { streamChunkProtocol } from './decode.ts'
import { streamChunkCodec } from './encode.ts'

vi.mock('react', () => ({}))

const messageId = 'a1'

/** JSON has no -0: a value as it comes out of JSON.parse on the other side. */
const asSentOnTheWire = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

function encode(events: readonly ChatEvent[]): Frame[] {
  return encodeFrames(streamChunkCodec, events)
}

/** Frames → wire text → bytes cut at `cuts` (WebSocket frames stay whole) → framing → decoder → reducer. */
function decodeWire(
  frames: readonly Frame[],
  framing: Framing,
  cuts: readonly number[],
): Message | undefined {
  return reduceChat(
    initialChatState,
    decodeWireEvents(streamChunkProtocol, frames, framing, cuts, { messageId }),
  ).messages[messageId]
}

/** Events this wire can carry, in the shape a stream-chunk backend produces them. */
const streamChunkEvents = fc
  .record({
    metadata: fc.option(
      fc.dictionary(
        fc.string({ minLength: 1, maxLength: 6 }),
        fc.jsonValue({ maxDepth: 1 }).map(asSentOnTheWire),
      ),
      {
        nil: undefined,
      },
    ),
    steps: fc.array(
      fc.oneof(
        fc.record({ delta: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }) }),
        fc.record({ tokens: fc.nat({ max: 50 }) }),
      ),
      { maxLength: 12 },
    ),
    ending: fc.constantFrom('stop', 'length', 'error', 'interrupt'),
  })
  .map(({ metadata, steps, ending }) => {
    const events: ChatEvent[] = [{ type: 'message-start', messageId, role: 'assistant' }]
    if (metadata !== undefined) events.push({ type: 'metadata', messageId, metadata })
    let outputTokens = 0
    let textStarted = false
    for (const step of steps) {
      if ('delta' in step) {
        if (!textStarted) events.push({ type: 'text-start', messageId, id: 'text-0' })
        textStarted = true
        events.push({ type: 'text-delta', messageId, id: 'text-0', delta: step.delta })
      } else {
        // token_count is cumulative: it only grows.
        outputTokens += step.tokens + 1
        events.push({ type: 'usage', messageId, usage: { outputTokens } })
      }
    }
    if (ending === 'error') {
      events.push({
        type: 'message-error',
        messageId,
        error: { message: 'Backend crashed', code: 'internal' },
      })
    } else if (ending === 'interrupt') {
      events.push({ type: 'message-interrupt', messageId })
    } else {
      if (textStarted) events.push({ type: 'text-end', messageId, id: 'text-0' })
      events.push({ type: 'message-end', messageId, finishReason: ending })
    }
    return events
  })

describe('stream-chunk encoder', () => {
  it.each<Framing>(['sse', 'ndjson', 'frames'])(
    'round-trips any events through %s, however the bytes are cut',
    (framing) => {
      fc.assert(
        fc.property(streamChunkEvents, fc.array(fc.nat(), { maxLength: 10 }), (events, cuts) => {
          const expected = reduceChat(initialChatState, events).messages[messageId]
          // token_count is cumulative progress: every text delta counts one, a reported
          // usage counts when it is higher.
          let tokens: number | undefined
          for (const event of events) {
            if (event.type === 'text-delta') tokens = (tokens ?? 0) + 1
            if (event.type === 'usage' && (event.usage.outputTokens ?? -1) > (tokens ?? -1))
              tokens = event.usage.outputTokens
          }
          if (expected !== undefined) {
            if (tokens === undefined) delete expected.usage
            else expected.usage = { outputTokens: tokens }
          }
          expect(withoutInterruptError(decodeWire(encode(events), framing, cuts))).toEqual(
            withoutInterruptError(expected),
          )
        }),
        { numRuns: 150 },
      )
    },
  )

  it('writes the documented frames', () => {
    const frames = encode([
      { type: 'message-start', messageId, role: 'assistant' },
      { type: 'text-delta', messageId, id: 't', delta: 'Hi' },
      { type: 'usage', messageId, usage: { outputTokens: 1 } },
      { type: 'reasoning-delta', messageId, id: 'r', delta: 'dropped: the wire has no reasoning' },
      { type: 'text-delta', messageId, id: 't', delta: '!' },
      { type: 'message-end', messageId, finishReason: 'stop', usage: { outputTokens: 2 } },
    ])
    // Seed 001: StreamChunk { text, is_complete, token_count, metadata? }, the count for progress tracking.
    expect(frames.map((frame) => JSON.parse(frame.data))).toEqual([
      { text: 'Hi', is_complete: false, token_count: 1 },
      { text: '!', is_complete: false, token_count: 2 },
      { text: '', is_complete: true, token_count: 2 },
    ])
    expect(streamChunkCodec.encodeError?.(429, 'Slow down', { code: 'rate_limited' })).toEqual({
      error: { message: 'Slow down', code: 'rate_limited' },
    })
  })

  it('sends the missing suffix of a final content that extends the streamed text', () => {
    const frames = encode([
      { type: 'text-delta', messageId, id: 't', delta: 'Hel' },
      { type: 'message-end', messageId, content: 'Hello' },
    ])
    expect(JSON.parse(frames[1]!.data)).toEqual({ text: 'lo', is_complete: true, token_count: 2 })
  })

  it('sends a tool call inside the text, in the tags inlineTags reads back, and keeps chunk metadata', async () => {
    const frames = encode([
      { type: 'metadata', messageId, metadata: { timing_ms: 12, token_ids: [9906] } },
      { type: 'text-delta', messageId, id: 't', delta: 'Checking.' },
      { type: 'tool-call-start', messageId, toolCallId: 'c1', toolName: 'get_weather' },
      { type: 'tool-call-delta', messageId, toolCallId: 'c1', delta: '{"city":"Paris"}' },
      { type: 'tool-call-end', messageId, toolCallId: 'c1' },
      { type: 'tool-result', messageId, toolCallId: 'c1', output: { temperature: 21 } },
      { type: 'message-end', messageId, finishReason: 'stop' },
    ])
    expect(JSON.parse(frames[2]!.data)).toEqual({
      text: '<tool_call>{"name":"get_weather","arguments":{"city":"Paris"}}</tool_call>',
      is_complete: false,
      token_count: 2,
    })
    const body = frames.map((frame) => `data: ${frame.data}\n\n`).join('')
    const message = await collectMessage(new Response(body).body!, 'stream-chunk', { inlineTags: true })
    expect(message.metadata).toEqual({ timing_ms: 12, token_ids: [9906] })
    expect(messageText(message)).toBe('Checking.')
    expect(messageToolCalls(message)).toMatchObject([
      { toolName: 'get_weather', input: { city: 'Paris' }, state: 'input-available' },
    ])
  })
})
