/**
 * The `message-events` WebSocket mock over msw's `ws.link`, driven by Sluice's own chat
 * controller. Node 20 has no global WebSocket, so undici's is installed before msw patches it.
 */
import { setupServer } from 'msw/node'
import { WebSocket as UndiciWebSocket } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createChat } from '../../../packages/core/src/chat/create-chat.ts'
import { encodeCancelFrame } from '../../../packages/core/src/index.ts'
import { messageEventsSocket, scenario } from '../../../packages/msw/src/index.ts'
import { lastMessage, messageText, waitFor } from '../chat/helpers.ts'

vi.mock('react', () => ({}))

const globals = globalThis as { WebSocket?: unknown }
globals.WebSocket ??= UndiciWebSocket

const url = 'wss://chat.test/socket'
/** A client socket through the global msw patched (not undici's class, which msw does not see). */
const openSocket = () => new (globalThis.WebSocket as unknown as typeof UndiciWebSocket)(url)
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

describe('messageEventsSocket', () => {
  it("streams the scenario to a chat over a WebSocket in seed 004's frames, ending stop", async () => {
    const socket = messageEventsSocket(
      url,
      scenario().text('Hello over a socket!').usage({ inputTokens: 3, outputTokens: 5 }),
    )
    server.use(socket)
    const chat = createChat({ api: url, protocol: 'message-events', transport: 'websocket' })
    await chat.send('Hi')
    const message = lastMessage(chat.store.getState())
    expect(message?.status).toBe('complete')
    expect(messageText(message!)).toBe('Hello over a socket!')
    // Seed 004's frames carry no token counts.
    expect(message?.usage).toBeUndefined()
    expect(message?.finishReason).toBe('stop')
    expect(socket.calls).toHaveLength(1)
    expect(socket.lastCall?.body).toMatchObject({ messages: [{ role: 'user', content: 'Hi' }] })
    expect(socket.lastCall?.completed).toBe(true)
    chat.dispose()
  })

  it('honours a cancel frame: streaming stops, stream_cancelled is sent, the call is marked cancelled', async () => {
    const socket = messageEventsSocket(
      url,
      scenario().text('one two three four five six seven eight nine ten').drip(30),
    )
    server.use(socket)
    const client = openSocket()
    const received: Record<string, unknown>[] = []
    client.addEventListener('message', (event) => received.push(JSON.parse(String(event.data))))
    await new Promise((resolve) => client.addEventListener('open', resolve, { once: true }))
    client.send(
      JSON.stringify({ type: 'message', message_id: 'a1', messages: [{ role: 'user', content: 'Hi' }] }),
    )
    await vi.waitFor(() =>
      expect(received.filter((frame) => frame.type === 'message_stream').length).toBeGreaterThan(1),
    )
    client.send(encodeCancelFrame('a1'))
    await vi.waitFor(() =>
      expect(received.at(-1)).toMatchObject({ type: 'stream_cancelled', data: { message_id: 'a1' } }),
    )
    const countAtCancel = received.length
    await new Promise((resolve) => setTimeout(resolve, 120))
    // Nothing more after the cancellation (the drip would have sent ~4 more frames).
    expect(received).toHaveLength(countAtCancel)
    expect(received.some((frame) => frame.type === 'message_update')).toBe(false)
    expect(socket.lastCall).toMatchObject({ cancelled: true, completed: false })
    client.close()
  })

  it("echoes the user's message as a whole message before the answer, when asked", async () => {
    const socket = messageEventsSocket(url, scenario().text('Hi back'), { echoUserMessage: true })
    server.use(socket)
    const client = openSocket()
    const received: Record<string, unknown>[] = []
    client.addEventListener('message', (event) => received.push(JSON.parse(String(event.data))))
    await new Promise((resolve) => client.addEventListener('open', resolve, { once: true }))
    client.send(
      JSON.stringify({ type: 'message', message_id: 'a3', messages: [{ role: 'user', content: 'Hello' }] }),
    )
    await vi.waitFor(() => expect(received.at(-1)?.type).toBe('message_update'))
    expect(received.map((frame) => frame.type)).toEqual([
      'message_new',
      'message_new',
      'message_stream',
      'message_stream',
      'message_stream',
      'message_update',
    ])
    expect(received[0]).toEqual({
      type: 'message_new',
      data: {
        id: 'a3-user',
        content: 'Hello',
        author_name: 'You',
        author_type: 'user',
        metadata: { streaming: false },
      },
    })
    expect(received.at(-1)).toEqual({
      type: 'message_update',
      data: { id: 'a3', content: 'Hi back', metadata: { streaming: false } },
    })
    client.close()
  })

  it('records aborted when the client closes the socket mid-answer', async () => {
    const socket = messageEventsSocket(url, scenario().text('a b c d e f g h').drip(30))
    server.use(socket)
    const client = openSocket()
    await new Promise((resolve) => client.addEventListener('open', resolve, { once: true }))
    client.send(JSON.stringify({ type: 'message', message_id: 'a2' }))
    await new Promise((resolve) => setTimeout(resolve, 50))
    client.close()
    await waitFor(() => socket.lastCall?.aborted === true)
    expect(socket.aborted).toBe(true)
  })
})
