/**
 * The WebSocket transport over MSW's `ws` API. Node 20 has no global WebSocket, so undici's
 * (a dependency already installed) is installed as the global before MSW patches it.
 * The wire is a small test protocol whose frames name their message and carry a sequence
 * number, like `message-events`.
 */
import { ws } from 'msw'
import { setupServer } from 'msw/node'
import { WebSocket as UndiciWebSocket } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createChat } from '../../../packages/core/src/chat/create-chat.ts'
import { createWebSocketTransport } from '../../../packages/core/src/chat/websocket-transport.ts'
import type { ChatEvent } from '../../../packages/core/src/events.ts'
import type { Protocol } from '../../../packages/core/src/protocol.ts'
import { lastMessage, messagesOf, messageText, waitFor } from './helpers.ts'

vi.mock('react', () => ({}))

const globals = globalThis as { WebSocket?: unknown }
globals.WebSocket ??= UndiciWebSocket

/** `{id, seq, type: start|delta|end, text?}` frames. */
const frameProtocol: Protocol = {
  id: 'message-events',
  framing: 'frames',
  createDecoder() {
    return {
      decode(frame) {
        const value = JSON.parse(frame.data) as { id: string; seq: number; type: string; text?: string }
        const base = { messageId: value.id, sequence: value.seq }
        const events: ChatEvent[] = []
        if (value.type === 'start') events.push({ type: 'message-start', ...base, role: 'assistant' })
        if (value.type === 'delta')
          events.push({ type: 'text-delta', ...base, id: 'text', delta: value.text ?? '' })
        if (value.type === 'end') events.push({ type: 'message-end', ...base, finishReason: 'stop' })
        return events
      },
      end: () => [],
    }
  },
}

const socket = ws.link('wss://chat.test/socket')
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

const frame = (id: string, seq: number, type: string, text?: string) =>
  JSON.stringify(text === undefined ? { id, seq, type } : { id, seq, type, text })

describe('websocket transport', () => {
  it('sends the request, adopts the server message id and ignores redelivered and stale frames', async () => {
    const received: unknown[] = []
    server.use(
      socket.addEventListener('connection', ({ client }) => {
        client.addEventListener('message', (event) => {
          received.push(JSON.parse(String(event.data)))
          client.send(frame('srv-1', 1, 'start'))
          client.send(frame('srv-1', 2, 'delta', 'Hel'))
          client.send(frame('srv-1', 3, 'delta', 'lo'))
          client.send(frame('srv-1', 3, 'delta', 'lo')) // redelivered
          client.send(frame('srv-1', 2, 'delta', 'Hel')) // late, out of order
          client.send(frame('srv-1', 4, 'end'))
        })
      }),
    )
    let count = 0
    const chat = createChat({
      api: 'wss://chat.test/socket',
      protocol: frameProtocol,
      transport: 'websocket',
      idGenerator: () => `local-${++count}`,
    })
    await chat.send('Hi')
    expect(received).toEqual([
      {
        type: 'message',
        message_id: 'local-2',
        trigger: 'send',
        messages: [{ role: 'user', content: 'Hi' }],
      },
    ])
    // The placeholder gave way to the server's message.
    expect(
      messagesOf(chat.getState()).map((message) => [message.id, message.status, messageText(message)]),
    ).toEqual([
      ['local-1', 'complete', 'Hi'],
      ['srv-1', 'complete', 'Hello'],
    ])
    expect(lastMessage(chat.getState()).metrics?.chunks).toBeGreaterThan(0)
    chat.dispose()
  })

  it('stop() sends the cancel frame with the server id and applies nothing after', async () => {
    const received: unknown[] = []
    let sendMore: (() => void) | undefined
    server.use(
      socket.addEventListener('connection', ({ client }) => {
        client.addEventListener('message', (event) => {
          const data = JSON.parse(String(event.data)) as { type: string }
          received.push(data)
          if (data.type !== 'message') return
          client.send(frame('srv-2', 1, 'start'))
          client.send(frame('srv-2', 2, 'delta', 'Partial'))
          sendMore = () => {
            client.send(frame('srv-2', 3, 'delta', ' more'))
            client.send(frame('srv-2', 4, 'end'))
          }
        })
      }),
    )
    const chat = createChat({
      api: 'wss://chat.test/socket',
      protocol: frameProtocol,
      transport: 'websocket',
      cancelFrame: (messageId) => ({ type: 'stream_cancel', message_id: messageId }),
    })
    const done = chat.send('Hi')
    await waitFor(() => messageText(lastMessage(chat.getState())) === 'Partial')
    chat.stop()
    await done
    await waitFor(() => received.length === 2)
    expect(received[1]).toEqual({ type: 'stream_cancel', message_id: 'srv-2' })
    sendMore?.()
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(lastMessage(chat.getState()).status).toBe('cancelled')
    expect(messageText(lastMessage(chat.getState()))).toBe('Partial')
    chat.dispose()
  })

  it('after a reconnect, an answer the server never continues ends interrupted, keeping its text', async () => {
    let connections = 0
    server.use(
      socket.addEventListener('connection', ({ client }) => {
        connections++
        if (connections > 1) return // the new connection never redelivers
        client.addEventListener('message', () => {
          client.send(frame('srv-3', 1, 'start'))
          client.send(frame('srv-3', 2, 'delta', 'Half an'))
          setTimeout(() => client.close(), 20)
        })
      }),
    )
    const chat = createChat({
      api: 'wss://chat.test/socket',
      protocol: frameProtocol,
      transport: createWebSocketTransport({
        reconnect: { attempts: 3, baseDelay: 10, maxDelay: 10 },
        redeliveryTimeout: 150,
      }),
    })
    await chat.send('Hi')
    expect(connections).toBe(2)
    const answer = lastMessage(chat.getState())
    expect([answer.id, answer.status, messageText(answer)]).toEqual(['srv-3', 'interrupted', 'Half an'])
    expect(answer.error?.message).toMatch(/did not continue the answer within 150 ms/)
    chat.dispose()
  })

  it('applies messages the server pushes on its own with their wire ids', async () => {
    let push: (() => void) | undefined
    server.use(
      socket.addEventListener('connection', ({ client }) => {
        client.addEventListener('message', () => {
          client.send(frame('srv-3', 1, 'start'))
          client.send(frame('srv-3', 2, 'delta', 'Answer'))
          client.send(frame('srv-3', 3, 'end'))
          push = () => {
            client.send(frame('news-1', 1, 'start'))
            client.send(frame('news-1', 2, 'delta', 'Server news'))
            client.send(frame('news-1', 3, 'end'))
          }
        })
      }),
    )
    const chat = createChat({
      api: 'wss://chat.test/socket',
      protocol: frameProtocol,
      transport: 'websocket',
    })
    await chat.send('Hi')
    push?.()
    await waitFor(() => chat.getState().messages['news-1']?.status === 'complete')
    expect(messageText(chat.getState().messages['news-1']!)).toBe('Server news')
    chat.dispose()
  })
})
