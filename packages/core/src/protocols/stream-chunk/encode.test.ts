import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import type { ChatEvent } from '../../events.ts'
import type { Message } from '../../message.ts'
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
    expect(frames.map((frame) => JSON.parse(frame.data))).toEqual([
      { text: 'Hi', is_complete: false },
      { text: '', is_complete: false, token_count: 1 },
      { text: '!', is_complete: false, token_count: 1 },
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
    expect(JSON.parse(frames[1]!.data)).toEqual({ text: 'lo', is_complete: true })
  })
})
