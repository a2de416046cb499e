import { describe, expect, it, vi } from 'vitest'
import { collectMessage } from './collect-message.ts'
import type { ChatEvent } from './events.ts'
import { messageText } from './message.ts'
import type { Protocol } from './protocol.ts'

vi.mock('react', () => ({}))

/** Frames: `start`, `end`, `user` (a user message u1), anything else is assistant text. */
const lineProtocol: Protocol = {
  id: 'text',
  framing: 'sse',
  createDecoder(options = {}) {
    const messageId = options.messageId ?? 'm1'
    let started = false
    let ended = false
    return {
      decode(frame): ChatEvent[] {
        if (frame.data === 'start') {
          started = true
          return [{ type: 'message-start', messageId, role: 'assistant' }]
        }
        if (frame.data === 'user') return [{ type: 'message-start', messageId: 'u1', role: 'user' }]
        if (frame.data === 'end') {
          ended = true
          return [{ type: 'message-end', messageId, finishReason: 'stop' }]
        }
        return [{ type: 'text-delta', messageId, id: 't', delta: frame.data }]
      },
      end(): ChatEvent[] {
        return ended || !started
          ? []
          : [{ type: 'message-interrupt', messageId, error: { message: 'cut short' } }]
      },
    }
  },
}

async function* chunks(...items: string[]) {
  yield* items
}

describe('collectMessage', () => {
  it('returns the final assistant message of a whole stream', async () => {
    const message = await collectMessage(
      chunks('data: start\n\ndata: Hel', 'lo\n\ndata: user\n\ndata: end\n\n'),
      lineProtocol,
    )
    expect(message.id).toBe('m1')
    expect(message.role).toBe('assistant')
    expect(message.status).toBe('complete')
    expect(message.finishReason).toBe('stop')
    expect(messageText(message)).toBe('Hello')
  })

  it('returns a stream cut short as interrupted, with its partial text', async () => {
    const message = await collectMessage(chunks('data: start\n\ndata: Half'), lineProtocol, {
      messageId: 'a1',
    })
    expect(message.id).toBe('a1')
    expect(message.status).toBe('interrupted')
    expect(messageText(message)).toBe('Half')
  })

  it('rejects with a clear error when the stream has no assistant message', async () => {
    await expect(collectMessage(chunks('data: user\n\n'), lineProtocol)).rejects.toThrow(
      /no assistant message \(protocol "text"/,
    )
  })

  it('rejects with the abort reason when aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(
      collectMessage(chunks('data: start\n\n'), lineProtocol, { signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' })
  })
})
