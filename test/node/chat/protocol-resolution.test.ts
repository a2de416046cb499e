/**
 * How `createChat` turns its `protocol` option into a decoder: an object is used as given; an
 * id is checked at creation and its decoder is loaded with the registry on the first request,
 * so the transport always receives the resolved `Protocol`.
 */
import { describe, expect, it, vi } from 'vitest'
import type { Transport, TransportRequest } from '../../../packages/core/src/chat/transport.ts'
import { openaiChatProtocol } from '../../../packages/core/src/protocols/openai-chat/decode.ts'
import { lastMessage, messageText, sequentialIds } from './helpers.ts'

vi.mock('react', () => ({}))

/** A transport that records the request and answers "Hi" as one complete message. */
function recordingTransport(): Transport & { requests: TransportRequest[] } {
  const requests: TransportRequest[] = []
  return {
    requests,
    async *request(request) {
      requests.push(request)
      yield { type: 'message-start', messageId: request.messageId, role: 'assistant' }
      yield { type: 'text-delta', messageId: request.messageId, id: 'text', delta: 'Hi' }
      yield { type: 'message-end', messageId: request.messageId, finishReason: 'stop' }
    },
  }
}

describe('createChat protocol option', () => {
  it('throws at creation for an unknown id, naming the valid ids', async () => {
    const { createChat } = await import('../../../packages/core/src/chat/create-chat.ts')
    expect(() => createChat({ api: '/api/chat', protocol: 'openai' as never })).toThrow(TypeError)
    expect(() => createChat({ api: '/api/chat', protocol: 'openai' as never })).toThrow(
      /^createChat: unknown protocol "openai"\. Pass one of "openai-chat", "openai-responses", .*, or a Protocol object\.$/,
    )
  })

  it('resolves an id on the first request, before the registry was ever loaded', async () => {
    vi.resetModules()
    const { createChat } = await import('../../../packages/core/src/chat/create-chat.ts')
    const { protocols } = await import('../../../packages/core/src/protocols/index.ts')
    const transport = recordingTransport()
    const chat = createChat({
      api: '/api/chat',
      protocol: 'anthropic',
      transport,
      idGenerator: sequentialIds(),
      retry: false,
    })
    const sending = chat.send('Hello')
    // The placeholder is there at once, even while the decoders load.
    expect(lastMessage(chat.getState())?.status).toBe('pending')
    await sending
    expect(transport.requests).toHaveLength(1)
    expect(transport.requests[0]!.protocol).toBe(protocols.anthropic)
    const answer = lastMessage(chat.getState())!
    expect(answer.status).toBe('complete')
    expect(messageText(answer)).toBe('Hi')
  })

  it('hands a protocol object to the transport as given', async () => {
    const { createChat } = await import('../../../packages/core/src/chat/create-chat.ts')
    const transport = recordingTransport()
    const chat = createChat({
      api: '/api/chat',
      protocol: openaiChatProtocol,
      transport,
      idGenerator: sequentialIds(),
    })
    await chat.send('Hello')
    expect(transport.requests[0]!.protocol).toBe(openaiChatProtocol)
    expect(lastMessage(chat.getState())?.status).toBe('complete')
  })

  it('stopping while the decoders load sends no request and cancels the answer', async () => {
    vi.resetModules()
    const { createChat } = await import('../../../packages/core/src/chat/create-chat.ts')
    const transport = recordingTransport()
    const chat = createChat({ api: '/api/chat', protocol: 'ollama', transport, idGenerator: sequentialIds() })
    const sending = chat.send('Hello')
    chat.stop()
    await sending
    expect(transport.requests).toHaveLength(0)
    expect(lastMessage(chat.getState())?.status).toBe('cancelled')
    expect(chat.getState().status).toBe('idle')
  })
})
