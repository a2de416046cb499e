import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import type { ChatEvent } from '../../events.ts'
import type { Message } from '../../message.ts'
import type { Frame, Framing } from '../../protocol.ts'
import { type ChatState, initialChatState, reduceChat } from '../../reducer.ts'
import { decodeWire as decodeWireEvents } from '../test-helpers/decode-wire.ts'
import { encodeFrames } from '../test-helpers/encode-frames.ts'
import { messageEventsProtocol } from './decode.ts'
import { type MessageEventsEncoderOptions, messageEventsCodec } from './encode.ts'

vi.mock('react', () => ({}))

function encode(events: readonly ChatEvent[], options?: MessageEventsEncoderOptions): Frame[] {
  return encodeFrames(messageEventsCodec, events, options)
}

function decodeWire(frames: readonly Frame[], framing: Framing, cuts: readonly number[]): ChatState {
  return reduceChat(initialChatState, decodeWireEvents(messageEventsProtocol, frames, framing, cuts))
}

/** Interrupt wording is the decoder's own; everything else must match exactly. */
function comparable(state: ChatState) {
  const messages: Record<string, Message> = {}
  for (const id of state.messageIds) {
    const message = state.messages[id]!
    if (message.status === 'interrupted') {
      const { error: _error, ...rest } = message
      messages[id] = rest
    } else messages[id] = message
  }
  return { messageIds: state.messageIds, messages }
}

/** One assistant message's events, without sequence numbers yet. */
const messageScript = (messageId: string) =>
  fc
    .record({
      deltas: fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), { maxLength: 8 }),
      usage: fc.option(fc.record({ inputTokens: fc.nat(900), outputTokens: fc.nat(900) }), {
        nil: undefined,
      }),
      ending: fc.constantFrom('stop', 'length', 'error', 'abort', 'interrupt'),
      content: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
    })
    .map(({ deltas, usage, ending, content }) => {
      const events: ChatEvent[] = [{ type: 'message-start', messageId, role: 'assistant' }]
      for (const [index, delta] of deltas.entries()) {
        if (index === 0) events.push({ type: 'text-start', messageId, id: 'text-0' })
        events.push({ type: 'text-delta', messageId, id: 'text-0', delta })
      }
      if (ending === 'stop' || ending === 'length') {
        if (usage !== undefined) events.push({ type: 'usage', messageId, usage })
        const end: ChatEvent = { type: 'message-end', messageId, finishReason: ending }
        if (content !== undefined) end.content = content
        events.push(end)
      } else if (ending === 'error') {
        events.push({
          type: 'message-error',
          messageId,
          error: { message: 'Generation failed', code: 'E_GEN' },
        })
      } else if (ending === 'abort') {
        events.push({ type: 'message-abort', messageId })
      } else {
        events.push({ type: 'message-interrupt', messageId })
      }
      return events
    })

/** Two messages interleaved on one socket, each event that becomes a frame numbered in socket order. */
const socketEvents = fc
  .tuple(messageScript('a1'), messageScript('b2'), fc.array(fc.boolean(), { maxLength: 40 }))
  .map(([first, second, picks]) => {
    const queues = [first.slice(), second.slice()]
    const merged: ChatEvent[] = []
    for (const pick of picks) {
      const event = queues[pick ? 1 : 0]!.shift()
      if (event) merged.push(event)
    }
    merged.push(...queues[0]!, ...queues[1]!)
    // A socket that closes interrupts both: interrupts go last.
    const interrupts = merged.filter((event) => event.type === 'message-interrupt')
    const ordered = [...merged.filter((event) => event.type !== 'message-interrupt'), ...interrupts]
    let sequence = 0
    return ordered.map((event): ChatEvent => {
      const framed = [
        'message-start',
        'text-delta',
        'message-end',
        'message-error',
        'message-abort',
      ].includes(event.type)
      return framed ? { ...event, sequence: ++sequence } : event
    })
  })

describe('message-events encoder', () => {
  const encodings: [Framing, MessageEventsEncoderOptions][] = [
    ['frames', {}],
    ['frames', { envelope: 'flat' }],
    ['sse', { envelope: 'event-payload' }],
    ['ndjson', {}],
  ]
  it.each(encodings)('round-trips two interleaved messages through %s with %o', (framing, options) => {
    fc.assert(
      fc.property(socketEvents, fc.array(fc.nat(), { maxLength: 10 }), (events, cuts) => {
        const expected = reduceChat(initialChatState, events)
        expect(comparable(decodeWire(encode(events, options), framing, cuts))).toEqual(comparable(expected))
      }),
      { numRuns: 120 },
    )
  })

  it('writes the documented frames, numbering them when the events carry no sequence', () => {
    const frames = encode([
      { type: 'message-start', messageId: 'a1', role: 'assistant' },
      { type: 'text-delta', messageId: 'a1', id: 't', delta: 'Hi' },
      { type: 'usage', messageId: 'a1', usage: { inputTokens: 3, outputTokens: 1 } },
      { type: 'message-end', messageId: 'a1', finishReason: 'stop' },
      { type: 'message-start', messageId: 'u2', role: 'user' },
      { type: 'text-delta', messageId: 'u2', id: 't', delta: 'Thanks' },
      { type: 'message-end', messageId: 'u2' },
    ])
    expect(frames.map((frame) => JSON.parse(frame.data))).toEqual([
      { type: 'message_new', data: { id: 'a1', role: 'assistant', seq: 1 } },
      { type: 'message_stream', data: { id: 'a1', delta: 'Hi', seq: 2 } },
      {
        type: 'message_update',
        data: {
          id: 'a1',
          content: 'Hi',
          status: 'complete',
          finish_reason: 'stop',
          usage: { input_tokens: 3, output_tokens: 1 },
          seq: 3,
        },
      },
      { type: 'message_new', data: { id: 'u2', role: 'user', content: 'Thanks', seq: 4 } },
    ])
  })
})
