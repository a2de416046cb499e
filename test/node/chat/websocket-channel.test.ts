/**
 * Seed 004's channel over one WebSocket: the server broadcasts every user message and every
 * agent answer to every client of the channel, and its frames name no request. What ties an
 * answer to this client's request is the placeholder's announcement (`message_new`,
 * `metadata.streaming: true`) after the echo of this client's own message; frames of a message
 * whose announcement this socket never saw (another client's answer already streaming) are
 * never adopted. The server here is MSW's `ws` link sending the frames the reference FastAPI
 * backend sends, in the orders a channel with two clients produces.
 */
import { ws } from 'msw'
import { setupServer } from 'msw/node'
import { WebSocket as UndiciWebSocket } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createChat } from '../../../packages/core/src/chat/create-chat.ts'
import { messagesOf, messageText } from './helpers.ts'

vi.mock('react', () => ({}))

const globals = globalThis as { WebSocket?: unknown }
globals.WebSocket ??= UndiciWebSocket

const socket = ws.link('wss://channel.test/ws')
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

type Send = (data: string) => void

const event = (type: string, data: Record<string, unknown>) => JSON.stringify({ type, data })
const userMessage = (id: string, content: string) =>
  event('message_new', {
    id,
    content,
    author_name: 'You',
    author_type: 'user',
    metadata: { streaming: false },
  })
const placeholder = (id: string) =>
  event('message_new', {
    id,
    content: '',
    author_name: 'backend',
    author_type: 'agent',
    metadata: { streaming: true },
  })
const chunk = (id: string, text: string, isFinal = false) =>
  event('message_stream', { message_id: id, chunk: text, is_final: isFinal, metadata: { tool_calls: null } })
const update = (id: string, content: string) =>
  event('message_update', { id, content, metadata: { streaming: false } })

/** Serve one answer per request, with `before` frames (another client's traffic) first. */
function channel(answer: (send: Send, userText: string) => void): void {
  server.use(
    socket.addEventListener('connection', ({ client }) => {
      client.addEventListener('message', (message) => {
        const frame = JSON.parse(String(message.data)) as {
          type: string
          messages?: { role: string; content: string }[]
        }
        if (frame.type !== 'message') return
        const userText = frame.messages?.filter((turn) => turn.role === 'user').at(-1)?.content ?? ''
        answer((data) => client.send(data), userText)
      })
    }),
  )
}

function chatOnChannel() {
  return createChat({ api: 'wss://channel.test/ws', protocol: 'message-events', transport: 'websocket' })
}

/** [role, status, text] of every message, in order. */
function rows(chat: ReturnType<typeof chatOnChannel>) {
  return messagesOf(chat.getState()).map((message) => [message.role, message.status, messageText(message)])
}

describe('websocket transport, seed 004 channel: which answer is this request’s', () => {
  it('frames of another client’s answer already streaming are not taken for this answer', async () => {
    channel((send, userText) => {
      // Another client's answer, announced before this socket asked: only its chunks come here.
      send(chunk('msg-other', 'Not'))
      send(chunk('msg-other', ' yours'))
      send(userMessage('msg-user', userText))
      send(chunk('msg-other', ' either'))
      send(placeholder('msg-mine'))
      send(chunk('msg-other', ' nor this', true))
      send(update('msg-other', 'Not yours either nor this'))
      send(chunk('msg-mine', 'Mine'))
      send(chunk('msg-mine', ' only', true))
      send(update('msg-mine', 'Mine only'))
    })
    const chat = chatOnChannel()
    await chat.send('Hello')
    expect(rows(chat)).toEqual([
      ['user', 'complete', 'Hello'],
      ['assistant', 'complete', 'Mine only'],
    ])
    expect(chat.getState().messages['msg-other']).toBeUndefined()
    expect(chat.getState().status).toBe('idle')
    chat.dispose()
  })

  it('another client’s message and answer announced before this echo stay theirs, shown as channel messages', async () => {
    channel((send, userText) => {
      send(userMessage('msg-their-question', 'Their question'))
      send(placeholder('msg-their-answer'))
      send(chunk('msg-their-answer', 'Their'))
      send(userMessage('msg-my-question', userText))
      send(chunk('msg-their-answer', ' answer'))
      send(placeholder('msg-my-answer'))
      send(chunk('msg-my-answer', 'My'))
      send(chunk('msg-my-answer', ' answer', true))
      send(update('msg-my-answer', 'My answer'))
      // Their answer goes on streaming after this one ended: the send must not wait for it.
    })
    const chat = chatOnChannel()
    await chat.send('My question')
    const state = chat.getState()
    expect(state.status).toBe('idle')
    expect(messageText(state.messages['msg-my-answer']!)).toBe('My answer')
    expect(state.messages['msg-my-answer']!.status).toBe('complete')
    expect(messageText(state.messages['msg-their-answer']!)).toBe('Their answer')
    expect(state.messages['msg-their-answer']!.status).toBe('streaming')
    // The echo of this client's own message is not shown twice.
    expect(rows(chat).filter(([, , text]) => text === 'My question')).toHaveLength(1)
    chat.dispose()
  })

  it('hostile ids (__proto__, constructor) and frames for unknown ids are neither adopted nor break routing', async () => {
    channel((send, userText) => {
      send(chunk('__proto__', 'polluted'))
      send(chunk('constructor', 'polluted'))
      send(update('hasOwnProperty', 'polluted'))
      send(event('message_stream', { message_id: 'toString', chunk: 'polluted', is_final: true }))
      send(userMessage('msg-echo', userText))
      send(placeholder('msg-answer'))
      send(chunk('__proto__', ' more'))
      send(chunk('msg-answer', 'Clean'))
      send(chunk('constructor', ' more'))
      send(chunk('msg-answer', ' text', true))
      send(update('msg-answer', 'Clean text'))
    })
    const chat = chatOnChannel()
    await chat.send('Hi')
    expect(rows(chat)).toEqual([
      ['user', 'complete', 'Hi'],
      ['assistant', 'complete', 'Clean text'],
    ])
    expect(JSON.stringify(chat.getState())).not.toContain('polluted')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    chat.dispose()
  })

  it('an answer announced under the id __proto__ is adopted and streams exactly', async () => {
    channel((send, userText) => {
      send(userMessage('constructor', userText))
      send(placeholder('__proto__'))
      send(chunk('__proto__', 'Still'))
      send(chunk('__proto__', ' fine', true))
      send(update('__proto__', 'Still fine'))
    })
    const chat = chatOnChannel()
    await chat.send('Hi')
    const assistants = messagesOf(chat.getState()).filter((message) => message.role === 'assistant')
    expect(assistants.map((message) => [message.status, messageText(message)])).toEqual([
      ['complete', 'Still fine'],
    ])
    chat.dispose()
  })

  it('a server that does not echo: the first announcement after the request is its answer', async () => {
    channel((send) => {
      send(chunk('msg-stale', 'old'))
      send(placeholder('msg-a'))
      send(chunk('msg-a', 'Answer', true))
      send(update('msg-a', 'Answer'))
    })
    const chat = chatOnChannel()
    await chat.send('Hi')
    expect(rows(chat)).toEqual([
      ['user', 'complete', 'Hi'],
      ['assistant', 'complete', 'Answer'],
    ])
    chat.dispose()
  })
})
