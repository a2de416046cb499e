import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { chunkedBytes, fromChunks } from '../../../../../test/helpers/fixtures.ts'
import { collectMessage } from '../../collect-message.ts'
import type { ChatEvent } from '../../events.ts'
import { serializeFrames } from '../../framing/serialize-frame.ts'
import { type Message, messageText } from '../../message.ts'
import { initialChatState, reduceChat } from '../../reducer.ts'
import { textProtocol } from './decode.ts'
import { textCodec } from './encode.ts'

// Core must never need React.
vi.mock('react', () => ({}))

function collect(body: string, sizes: readonly number[]): Promise<Message> {
  return collectMessage(fromChunks(chunkedBytes(body, sizes)), textProtocol, { messageId: 'm1' })
}

function encode(events: readonly ChatEvent[]): string {
  const encoder = textCodec.createEncoder()
  return serializeFrames([...events.flatMap((event) => encoder.encode(event)), ...encoder.end()], 'text')
}

function textEvents(deltas: readonly string[]): ChatEvent[] {
  return [
    { type: 'message-start', messageId: 'm1', role: 'assistant' },
    { type: 'text-start', messageId: 'm1', id: 't' },
    ...deltas.map((delta): ChatEvent => ({ type: 'text-delta', messageId: 'm1', id: 't', delta })),
    { type: 'text-end', messageId: 'm1', id: 't' },
    { type: 'message-end', messageId: 'm1', finishReason: 'stop' },
  ]
}

describe('text encoder', () => {
  it('round-trips any text, however it is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 20 }), { maxLength: 10 }),
        fc.array(fc.integer({ min: 1, max: 16 }), { maxLength: 30 }),
        async (deltas, sizes) => {
          const events = textEvents(deltas)
          const direct = reduceChat(initialChatState, events).messages.m1!
          const decoded = await collect(encode(events), sizes)
          expect(decoded.status).toBe('complete')
          expect(decoded.finishReason).toBe(direct.finishReason)
          expect(messageText(decoded)).toBe(messageText(direct))
        },
      ),
      { numRuns: 200 },
    )
  })

  it('sends only the text: reasoning, tools and the end have no plain-text form', () => {
    const body = encode([
      { type: 'reasoning-delta', messageId: 'm1', id: 'r', delta: 'thinking' },
      { type: 'text-delta', messageId: 'm1', id: 't', delta: 'Hello, ' },
      { type: 'tool-call-start', messageId: 'm1', toolCallId: 'c', toolName: 'x' },
      { type: 'text-delta', messageId: 'm1', id: 't', delta: 'world' },
      { type: 'message-end', messageId: 'm1', finishReason: 'stop' },
    ])
    expect(body).toBe('Hello, world')
  })

  it('stops the body at an error', () => {
    const body = encode([
      { type: 'text-delta', messageId: 'm1', id: 't', delta: 'Part' },
      { type: 'message-error', messageId: 'm1', error: { message: 'boom' } },
      { type: 'text-delta', messageId: 'm1', id: 't', delta: 'ignored' },
    ])
    expect(body).toBe('Part')
  })

  it('writes the whole body and a plain error body', () => {
    expect(textCodec.encodeResponse!(textEvents(['a', 'b']))).toBe('ab')
    expect(textCodec.encodeError!(429, 'Too many requests')).toBe('Too many requests')
  })
})
