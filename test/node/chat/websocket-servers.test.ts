/**
 * The WebSocket transport against real `ws` servers on 127.0.0.1 that speak each seed
 * protocol's literal wire (see `websocket-servers.ts`). The client is undici's WebSocket: the
 * WHATWG API of browsers, which cannot send WebSocket pings, so what passes here works in a page.
 */
import { WebSocket as UndiciWebSocket } from 'undici'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type ChatOptions, createChat } from '../../../packages/core/src/chat/create-chat.ts'
import {
  createWebSocketTransport,
  type WebSocketConstructor,
} from '../../../packages/core/src/chat/websocket-transport.ts'
import type { Message } from '../../../packages/core/src/message.ts'
import { messagesOf, messageText, waitFor } from './helpers.ts'
import {
  type SeedWire,
  type ServerOptions,
  startWebSocketServer,
  type TestServer,
} from './websocket-servers.ts'

vi.mock('react', () => ({}))

const WebSocket = UndiciWebSocket as unknown as WebSocketConstructor

const servers: TestServer[] = []
const chats: { dispose(): void }[] = []
afterEach(async () => {
  for (const chat of chats.splice(0)) chat.dispose()
  for (const server of servers.splice(0)) await server.close()
})

async function serve(options: ServerOptions): Promise<TestServer> {
  const server = await startWebSocketServer(options)
  servers.push(server)
  return server
}

function chatFor(server: TestServer, wire: SeedWire, extra: Partial<ChatOptions> = {}) {
  const chat = createChat({
    api: server.url,
    protocol: wire,
    transport: 'websocket',
    retry: false,
    ...extra,
    websocket: { WebSocket, ...extra.websocket },
  })
  chats.push(chat)
  return chat
}

function assistants(chat: { getState(): Parameters<typeof messagesOf>[0] }): Message[] {
  return messagesOf(chat.getState()).filter((message) => message.role === 'assistant')
}

function summary(message: Message | undefined): [string | undefined, string | undefined] {
  return [message?.status, message === undefined ? undefined : messageText(message)]
}

/** Wait until the last assistant message shows at least `words` words of text. */
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

describe.each(['stream-chunk', 'agent-events', 'stream-delta'] as const)(
  'websocket transport, id-less %s',
  (wire) => {
    it('streams three answers on one socket, each complete and exact', async () => {
      const server = await serve({ wire, pieces: 6, delay: 5 })
      const chat = chatFor(server, wire)
      await chat.send('one')
      await chat.send('two')
      await chat.send('three')
      expect(assistants(chat).map(summary)).toEqual(server.streams.map((stream) => ['complete', stream.text]))
      expect(server.streams.map((stream) => stream.userText)).toEqual(['one', 'two', 'three'])
      expect(server.connections).toBe(1)
      expect(chat.getState().status).toBe('idle')
    })

    it('stop closes the socket (no cancel frame on this wire): the server stops, and the next answer is exact', async () => {
      const server = await serve({ wire, pieces: 40, delay: 20 })
      const chat = chatFor(server, wire)
      const first = chat.send('long one')
      await untilWords(chat, 4)
      const stoppedAt = Date.now()
      chat.stop()
      await first
      const atStop = messageText(assistants(chat)[0]!)
      await waitFor(() => server.streams[0]!.stoppedAt !== undefined, 2000)
      const stream = server.streams[0]!
      expect(stream.stoppedBy).toBe('close')
      expect(stream.stoppedAt! - stoppedAt).toBeLessThan(1000)
      // Long enough for two more chunks: none were produced after the server saw the stop.
      await new Promise((resolve) => setTimeout(resolve, 80))
      expect(stream.chunksSent).toBe(stream.chunksAtStop)
      expect(summary(assistants(chat)[0])).toEqual(['cancelled', atStop])
      expect(stream.text.startsWith(atStop)).toBe(true)

      await chat.send('two')
      expect(summary(assistants(chat)[1])).toEqual(['complete', server.streams[1]!.text])
      expect(summary(assistants(chat)[0])).toEqual(['cancelled', atStop])
    })

    it('a killed server ends the answer interrupted within 2 s with its text; after a restart the next answer is complete', async () => {
      const server = await serve({ wire, pieces: 200, delay: 10 })
      const chat = chatFor(server, wire)
      const first = chat.send('doomed')
      const partial = await untilWords(chat, 3)
      const killedAt = Date.now()
      await server.kill()
      await first
      expect(Date.now() - killedAt).toBeLessThan(2000)
      const interrupted = assistants(chat)[0]!
      expect(interrupted.status).toBe('interrupted')
      expect(messageText(interrupted).startsWith(partial)).toBe(true)
      expect(server.streams[0]!.text.startsWith(messageText(interrupted))).toBe(true)
      expect(interrupted.error?.message).toMatch(/lost mid-answer/)

      await server.restart()
      await chat.send('again')
      const [old, next] = assistants(chat)
      expect(summary(next)).toEqual(['complete', server.streams[1]!.text])
      expect(next!.id).not.toBe(old!.id)
      expect(summary(old)).toEqual(['interrupted', messageText(interrupted)])
      expect(server.connections).toBe(2)
    })
  },
)

describe('websocket transport, one socket shared by two chats (stream-chunk)', () => {
  it('asks one question at a time, so frames that name nothing still reach the right answer', async () => {
    const server = await serve({ wire: 'stream-chunk', pieces: 10, delay: 5 })
    const transport = createWebSocketTransport({ WebSocket })
    const left = createChat({ api: server.url, protocol: 'stream-chunk', transport, retry: false })
    const right = createChat({ api: server.url, protocol: 'stream-chunk', transport, retry: false })
    chats.push(left, right, { dispose: () => transport.close?.() })
    await Promise.all([left.send('left'), right.send('right')])
    const byUser = new Map(server.streams.map((stream) => [stream.userText, stream]))
    expect(summary(assistants(left)[0])).toEqual(['complete', byUser.get('left')!.text])
    expect(summary(assistants(right)[0])).toEqual(['complete', byUser.get('right')!.text])
    expect(server.connections).toBe(1)
    // The second request went out only after the first answer's last frame.
    expect(server.streams[1]!.requestedAt).toBeGreaterThanOrEqual(server.streams[0]!.finishedAt!)
  })
})

describe('websocket transport, agent-events with a cancel frame (seed 003)', () => {
  const cancelFrame = (messageId: string) => ({ type: 'stream_cancel', message_id: messageId })

  it('the stopped answer drains to its Error acknowledgement on the same socket; the next answer gets none of it', async () => {
    const server = await serve({
      wire: 'agent-events',
      pieces: 30,
      delay: 15,
      cancelAck: true,
      lateChunksAfterCancel: 3,
    })
    const chat = chatFor(server, 'agent-events', { cancelFrame })
    const first = chat.send('one')
    await untilWords(chat, 3)
    chat.stop()
    await first
    const atStop = messageText(assistants(chat)[0]!)
    // Sent at once: the server's late chunks and its acknowledgement are still on the way.
    await chat.send('two')
    expect(server.streams[0]!.stoppedBy).toBe('cancel')
    expect(server.received).toContainEqual({
      type: 'stream_cancel',
      message_id: server.streams[0]!.requestMessageId,
    })
    expect(assistants(chat).map(summary)).toEqual([
      ['cancelled', atStop],
      ['complete', server.streams[1]!.text],
    ])
    expect(server.connections).toBe(1)
    expect(chat.getState().status).toBe('idle')
  })

  it('a server that ignores the cancel frame gets the socket closed after cancelTimeout', async () => {
    const server = await serve({ wire: 'agent-events', pieces: 120, delay: 10, ignoreCancel: true })
    const chat = chatFor(server, 'agent-events', { cancelFrame, websocket: { cancelTimeout: 300 } })
    const first = chat.send('one')
    await untilWords(chat, 3)
    const stoppedAt = Date.now()
    chat.stop()
    await first
    await waitFor(() => server.streams[0]!.stoppedBy === 'close', 2000)
    expect(server.streams[0]!.stoppedAt! - stoppedAt).toBeGreaterThanOrEqual(250)
    expect(server.streams[0]!.stoppedAt! - stoppedAt).toBeLessThan(1000)
    await chat.send('two')
    expect(summary(assistants(chat)[1])).toEqual(['complete', server.streams[1]!.text])
    expect(server.connections).toBe(2)
  })
})

describe('websocket transport, message-events (seed 004)', () => {
  it('streams two answers on one socket under the ids the server gave them', async () => {
    const server = await serve({ wire: 'message-events', pieces: 6, delay: 5 })
    const chat = chatFor(server, 'message-events')
    await chat.send('one')
    await chat.send('two')
    expect(assistants(chat).map((message) => [message.id, ...summary(message)])).toEqual([
      ['srv-1', 'complete', server.streams[0]!.text],
      ['srv-2', 'complete', server.streams[1]!.text],
    ])
    expect(server.connections).toBe(1)
  })

  it('stop sends stream_cancel with the server id by default; the server stops', async () => {
    const server = await serve({ wire: 'message-events', pieces: 40, delay: 20 })
    const chat = chatFor(server, 'message-events')
    const first = chat.send('one')
    await untilWords(chat, 4)
    const stoppedAt = Date.now()
    chat.stop()
    await first
    await waitFor(() => server.streams[0]!.stoppedAt !== undefined, 2000)
    expect(server.received.at(-1)).toEqual({ type: 'stream_cancel', message_id: 'srv-1' })
    expect(server.streams[0]!.stoppedBy).toBe('cancel')
    expect(server.streams[0]!.stoppedAt! - stoppedAt).toBeLessThan(1000)
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(server.streams[0]!.chunksSent).toBe(server.streams[0]!.chunksAtStop)
    expect(assistants(chat)[0]!.status).toBe('cancelled')
  })

  it('send while streaming: late frames and the cancel acknowledgement of the stopped answer never reach the new one', async () => {
    const server = await serve({
      wire: 'message-events',
      pieces: 30,
      delay: 15,
      cancelAck: true,
      lateChunksAfterCancel: 3,
      // The new answer starts after the stopped one's late chunks and acknowledgement arrived.
      startDelay: 120,
    })
    const chat = chatFor(server, 'message-events')
    /** The chat status seen while the second answer was streaming (the composer shows Stop for `streaming`). */
    const statusesWhileSecondStreams = new Set<string>()
    chat.store.subscribe((state) => {
      const second = state.messages['srv-2']
      if (second?.status === 'streaming') statusesWhileSecondStreams.add(state.status)
    })
    const first = chat.send('one')
    await untilWords(chat, 3)
    const second = chat.send('two')
    await first
    const atStop = messageText(chat.getState().messages['srv-1']!)
    await second
    expect(server.received).toContainEqual({ type: 'stream_cancel', message_id: 'srv-1' })
    expect(assistants(chat).map((message) => [message.id, ...summary(message)])).toEqual([
      ['srv-1', 'cancelled', atStop],
      ['srv-2', 'complete', server.streams[1]!.text],
    ])
    expect([...statusesWhileSecondStreams]).toEqual(['streaming'])
    expect(chat.getState().status).toBe('idle')
    expect(chat.getState().error).toBeUndefined()
  })

  it('after a kill and a restart, stale frames of the interrupted answer are dropped and the new answer is complete', async () => {
    const server = await serve({
      wire: 'message-events',
      pieces: 200,
      delay: 10,
      beforeAnswer: (index) =>
        index === 2
          ? [
              ['message_stream', { message_id: 'srv-1', chunk: ' stale', is_final: false }],
              ['message_update', { id: 'srv-1', content: 'stale final', metadata: { streaming: false } }],
            ]
          : [],
    })
    const chat = chatFor(server, 'message-events')
    const first = chat.send('doomed')
    await untilWords(chat, 3)
    const killedAt = Date.now()
    await server.kill()
    await first
    expect(Date.now() - killedAt).toBeLessThan(2000)
    const interrupted = chat.getState().messages['srv-1']!
    expect(interrupted.status).toBe('interrupted')
    await server.restart()
    await chat.send('again')
    expect(assistants(chat).map((message) => [message.id, ...summary(message)])).toEqual([
      ['srv-1', 'interrupted', messageText(interrupted)],
      ['srv-2', 'complete', server.streams[1]!.text],
    ])
  })
})

describe('websocket transport, liveness and timings', () => {
  it('a silent server (no close, no frames) is noticed by the heartbeat within 2 s, the text kept', async () => {
    const server = await serve({ wire: 'stream-chunk', pieces: 400, delay: 10, answerPings: true })
    const chat = chatFor(server, 'stream-chunk', {
      websocket: { heartbeat: { timeout: 1000, interval: 200, frame: () => ({ type: 'ping' }) } },
    })
    const first = chat.send('one')
    const partial = await untilWords(chat, 3)
    const frozenAt = Date.now()
    server.freeze()
    await first
    expect(Date.now() - frozenAt).toBeLessThan(2000)
    const answer = assistants(chat)[0]!
    expect(answer.status).toBe('interrupted')
    expect(messageText(answer).startsWith(partial)).toBe(true)
    expect(answer.error?.message).toMatch(/heartbeat\.timeout/)
  })

  it('the heartbeat keeps an answer alive through pauses longer than its timeout while the server answers pings', async () => {
    const server = await serve({ wire: 'agent-events', pieces: 1, delay: 600, answerPings: true })
    const chat = chatFor(server, 'agent-events', {
      websocket: { heartbeat: { timeout: 500, interval: 100, frame: () => ({ type: 'ping' }) } },
    })
    await chat.send('slow')
    expect(summary(assistants(chat)[0])).toEqual(['complete', server.streams[0]!.text])
    expect(
      server.received.filter((frame) => (frame as { type?: string }).type === 'ping').length,
    ).toBeGreaterThan(5)
  })

  it('idleTimeout set on createChat applies to the string transport: interrupted, text kept, the timeout named', async () => {
    const server = await serve({ wire: 'stream-delta', pieces: 400, delay: 10 })
    const chat = chatFor(server, 'stream-delta', { idleTimeout: 400 })
    const first = chat.send('one')
    const partial = await untilWords(chat, 3)
    server.freeze()
    await first
    const answer = assistants(chat)[0]!
    expect(answer.status).toBe('interrupted')
    expect(messageText(answer).startsWith(partial)).toBe(true)
    expect(answer.error?.message).toMatch(/for 400 ms \(idleTimeout\)/)
  })

  it('firstByteTimeout set on createChat ends a request the server never answers interrupted, naming the timeout', async () => {
    const server = await serve({ wire: 'stream-chunk', pieces: 3, delay: 10 })
    server.freeze()
    const chat = chatFor(server, 'stream-chunk', { firstByteTimeout: 300 })
    const startedAt = Date.now()
    await chat.send('anyone?')
    expect(Date.now() - startedAt).toBeLessThan(1500)
    const answer = assistants(chat)[0]!
    expect(answer.status).toBe('interrupted')
    expect(answer.error?.message).toMatch(/300 ms after the request \(firstByteTimeout\)/)
  })
})
