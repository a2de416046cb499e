import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import type { ChatEvent } from '../../events.ts'
import { messageText } from '../../message.ts'
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

/**
 * What of each message seed 004's wire carries: who wrote it, its status, its text and, for an
 * error, its message. Usage, finish reasons and error codes have no field on it.
 */
function wireView(state: ChatState) {
  return state.messageIds.map((id) => {
    const message = state.messages[id]!
    return {
      id,
      role: message.role,
      status: message.status,
      text: messageText(message),
      error: message.status === 'error' ? message.error?.message : undefined,
    }
  })
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
  it.each(encodings)(
    'carries two interleaved messages through %s with %o, however the bytes are cut',
    (framing, options) => {
      fc.assert(
        fc.property(socketEvents, fc.array(fc.nat(), { maxLength: 10 }), (events, cuts) => {
          const expected = reduceChat(initialChatState, events)
          const frames = encode(events, options)
          const whole = decodeWire(frames, framing, [])
          expect(decodeWire(frames, framing, cuts)).toEqual(whole)
          expect(wireView(whole)).toEqual(wireView(expected))
        }),
        { numRuns: 120 },
      )
    },
  )

  it("writes the frames of seed 004's WebSocket Event Flow", () => {
    // message_new {id, content: "", metadata: {streaming: true}}; message_stream {message_id,
    // chunk, is_final}; the final one with metadata {tool_calls: null}; message_update {id,
    // content, metadata: {streaming: false}}
    const frames = encode([
      { type: 'message-start', messageId: 'msg-123', role: 'assistant', metadata: { authorName: 'backend' } },
      { type: 'text-delta', messageId: 'msg-123', id: 't', delta: 'FastAPI' },
      { type: 'text-delta', messageId: 'msg-123', id: 't', delta: ' is a' },
      { type: 'usage', messageId: 'msg-123', usage: { inputTokens: 3, outputTokens: 1 } },
      {
        type: 'message-end',
        messageId: 'msg-123',
        finishReason: 'stop',
        content: 'FastAPI is a modern Python web framework.',
      },
      { type: 'message-start', messageId: 'u2', role: 'user' },
      { type: 'text-delta', messageId: 'u2', id: 't', delta: 'Thanks' },
      { type: 'message-end', messageId: 'u2' },
      { type: 'message-start', messageId: 'msg-124', role: 'assistant' },
      { type: 'message-error', messageId: 'msg-124', error: { message: 'Provider timeout', code: 'E1' } },
    ])
    expect(frames.map((frame) => JSON.parse(frame.data))).toEqual([
      {
        type: 'message_new',
        data: { id: 'msg-123', content: '', author_name: 'backend', metadata: { streaming: true } },
      },
      { type: 'message_stream', data: { message_id: 'msg-123', chunk: 'FastAPI', is_final: false } },
      { type: 'message_stream', data: { message_id: 'msg-123', chunk: ' is a', is_final: false } },
      {
        type: 'message_stream',
        data: { message_id: 'msg-123', chunk: '', is_final: true, metadata: { tool_calls: null } },
      },
      {
        type: 'message_update',
        data: {
          id: 'msg-123',
          content: 'FastAPI is a modern Python web framework.',
          metadata: { streaming: false },
        },
      },
      {
        type: 'message_new',
        data: {
          id: 'u2',
          content: 'Thanks',
          author_name: 'You',
          author_type: 'user',
          metadata: { streaming: false },
        },
      },
      {
        type: 'message_new',
        data: { id: 'msg-124', content: '', author_name: 'Assistant', metadata: { streaming: true } },
      },
      {
        type: 'message_stream',
        data: {
          message_id: 'msg-124',
          chunk: 'Error: Provider timeout',
          is_final: true,
          metadata: { tool_calls: null, error: 'Provider timeout' },
        },
      },
    ])
  })

  it('numbers the frames on request, one number per frame', () => {
    const frames = encode(
      [
        { type: 'message-start', messageId: 'a1', role: 'assistant' },
        { type: 'text-delta', messageId: 'a1', id: 't', delta: 'Hi' },
        { type: 'message-end', messageId: 'a1' },
      ],
      { numberFrames: true, envelope: 'flat' },
    )
    expect(frames.map((frame) => (JSON.parse(frame.data) as { seq: number }).seq)).toEqual([1, 2, 3, 4])
  })
})
