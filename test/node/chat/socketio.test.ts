/**
 * The Socket.IO transport end to end against a real `socket.io` Server on 127.0.0.1, through
 * the official `socket.io-client` (loaded by the transport's own dynamic import when the chat
 * names the string transport). Seed 004's events travel as Socket.IO events
 * (`socket.on('message_stream', …)`), the cancel as `emit('stream_cancel', {message_id})`.
 */
import { io } from 'socket.io-client'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type ChatOptions, createChat } from '../../../packages/core/src/chat/create-chat.ts'
import {
  createSocketIoTransport,
  defaultEventFromFrame,
  defaultFrameFromEvent,
  type SocketIoFactory,
} from '../../../packages/core/src/chat/socketio-transport.ts'
import type { Message } from '../../../packages/core/src/message.ts'
import type { ProtocolId } from '../../../packages/core/src/protocol.ts'
import { protocols } from '../../../packages/core/src/protocols/index.ts'
import { messagesOf, messageText, waitFor } from './helpers.ts'
import { type ServerOptions, startSocketIoServer, type TestServer } from './websocket-servers.ts'

vi.mock('react', () => ({}))

const servers: TestServer[] = []
const chats: { dispose(): void }[] = []
afterEach(async () => {
  for (const chat of chats.splice(0)) chat.dispose()
  for (const server of servers.splice(0)) await server.close()
})

async function serve(options: ServerOptions): Promise<TestServer> {
  const server = await startSocketIoServer(options)
  servers.push(server)
  return server
}

function chatFor(server: TestServer, protocol: ProtocolId, extra: Partial<ChatOptions> = {}) {
  const chat = createChat({ api: server.url, protocol, transport: 'socketio', retry: false, ...extra })
  chats.push(chat)
  return chat
}

function assistants(chat: { getState(): Parameters<typeof messagesOf>[0] }): Message[] {
  return messagesOf(chat.getState()).filter((message) => message.role === 'assistant')
}

function summary(message: Message | undefined): [string | undefined, string | undefined, string | undefined] {
  return [message?.id, message?.status, message === undefined ? undefined : messageText(message)]
}

async function untilWords(
  chat: { getState(): Parameters<typeof messagesOf>[0] },
  words: number,
): Promise<string> {
  await waitFor(() => {
    const last = assistants(chat).at(-1)
    return last !== undefined && messageText(last).split(' ').length >= words
  }, 5000)
  return messageText(assistants(chat).at(-1)!)
}

describe('socketio transport, message-events (seed 004) against a socket.io Server', () => {
  it('streams two answers on one Socket.IO connection (the client imported lazily by the string transport)', async () => {
    const server = await serve({ wire: 'message-events', pieces: 6, delay: 5 })
    const chat = chatFor(server, 'message-events')
    await chat.send('one')
    await chat.send('two')
    expect(assistants(chat).map(summary)).toEqual([
      ['srv-1', 'complete', server.streams[0]!.text],
      ['srv-2', 'complete', server.streams[1]!.text],
    ])
    expect(server.connections).toBe(1)
    // The request travelled as a `message` event carrying the conversation.
    expect(server.received[0]).toMatchObject({
      type: 'message',
      messages: [{ role: 'user', content: 'one' }],
    })
  })

  it('stop emits stream_cancel with the server id; the server stops producing', async () => {
    const server = await serve({ wire: 'message-events', pieces: 60, delay: 20 })
    const chat = chatFor(server, 'message-events', {
      socketio: { socketOptions: { transports: ['websocket'] } },
    })
    const first = chat.send('one')
    const partial = await untilWords(chat, 4)
    const stoppedAt = Date.now()
    chat.stop()
    await first
    await waitFor(() => server.streams[0]!.stoppedAt !== undefined, 2000)
    expect(server.received).toContainEqual({ type: 'stream_cancel', message_id: 'srv-1' })
    expect(server.streams[0]!.stoppedAt! - stoppedAt).toBeLessThan(1000)
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(server.streams[0]!.chunksSent).toBe(server.streams[0]!.chunksAtStop)
    const answer = assistants(chat)[0]!
    expect(answer.status).toBe('cancelled')
    expect(messageText(answer).startsWith(partial)).toBe(true)
  })

  it('send while streaming: the stopped answer’s late chunks and acknowledgement stay out of the new one', async () => {
    const server = await serve({
      wire: 'message-events',
      pieces: 30,
      delay: 15,
      cancelAck: true,
      lateChunksAfterCancel: 3,
      startDelay: 120,
    })
    const chat = chatFor(server, 'message-events', {
      socketio: { socketOptions: { transports: ['websocket'] } },
    })
    const first = chat.send('one')
    await untilWords(chat, 3)
    const second = chat.send('two')
    await first
    const atStop = messageText(chat.getState().messages['srv-1']!)
    await second
    expect(assistants(chat).map(summary)).toEqual([
      ['srv-1', 'cancelled', atStop],
      ['srv-2', 'complete', server.streams[1]!.text],
    ])
    expect(chat.getState().status).toBe('idle')
  })

  it('a killed server ends the answer interrupted within 2 s with its text; after a restart a new answer is complete', async () => {
    const server = await serve({ wire: 'message-events', pieces: 150, delay: 10 })
    const chat = chatFor(server, 'message-events', {
      socketio: { socketOptions: { transports: ['websocket'] } },
    })
    const first = chat.send('doomed')
    const partial = await untilWords(chat, 3)
    const killedAt = Date.now()
    await server.kill()
    await first
    expect(Date.now() - killedAt).toBeLessThan(2000)
    const interrupted = assistants(chat)[0]!
    expect(interrupted.status).toBe('interrupted')
    expect(messageText(interrupted).startsWith(partial)).toBe(true)
    expect(interrupted.error?.message).toMatch(/Socket\.IO/)

    await server.restart()
    await chat.send('again')
    expect(assistants(chat).map(summary)).toEqual([
      ['srv-1', 'interrupted', messageText(interrupted)],
      ['srv-2', 'complete', server.streams[1]!.text],
    ])
  })
})

describe('socketio transport, an id-less protocol (agent-events as Socket.IO `stream` events)', () => {
  it('two answers on one connection; stop disconnects (no cancel event on this wire) and the server sees it', async () => {
    const server = await serve({ wire: 'agent-events', pieces: 30, delay: 10 })
    const transport = createSocketIoTransport({
      io: io as unknown as SocketIoFactory,
      eventNames: ['stream'],
    })
    const chat = createChat({ api: server.url, protocol: 'agent-events', transport, retry: false })
    chats.push(chat, { dispose: () => transport.close?.() })
    const first = chat.send('one')
    await untilWords(chat, 3)
    chat.stop()
    await first
    await waitFor(() => server.streams[0]!.stoppedBy === 'close', 2000)
    await chat.send('two')
    await chat.send('three')
    expect(assistants(chat).map((message) => message.status)).toEqual(['cancelled', 'complete', 'complete'])
    expect(messageText(assistants(chat)[2]!)).toBe(server.streams[2]!.text)
    expect(messageText(assistants(chat)[1]!)).toBe(server.streams[1]!.text)
    // The stop's disconnect, then one connection for the two answers.
    expect(server.connections).toBe(2)
  })
})

describe('socketio event mapping', () => {
  it('wraps message-events payloads in their event name and passes other protocols’ payloads as frames', () => {
    expect(
      defaultFrameFromEvent(
        'message_stream',
        [{ message_id: 'm1', chunk: 'Hi' }],
        protocols['message-events'],
      ),
    ).toBe('{"type":"message_stream","data":{"message_id":"m1","chunk":"Hi"}}')
    expect(
      defaultFrameFromEvent('stream', [{ type: 'TextDelta', delta: 'Hi' }], protocols['agent-events']),
    ).toBe('{"type":"TextDelta","delta":"Hi"}')
    expect(defaultEventFromFrame('{"type":"stream_cancel","message_id":"m1"}')).toEqual([
      'stream_cancel',
      { message_id: 'm1' },
    ])
    expect(defaultEventFromFrame({ question: 'plain' })).toEqual(['message', { question: 'plain' }])
  })
})
