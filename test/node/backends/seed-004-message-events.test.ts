/**
 * Seed 004's reference backends (FastAPI over a WebSocket, and the Socket.IO flavour) emit the
 * document's flow exactly: the user's echo, a `message_new` placeholder with `metadata.streaming:
 * true` and `author_name`, `message_stream { message_id, chunk, is_final, metadata }` per chunk,
 * `message_update` with the whole content and `streaming: false`; errors as the final chunk's
 * metadata; `stream_cancel` stops the generator; a disconnect does not.
 */
import { io, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { type RunningSeed004, startSeed004Python } from '../../../backends/seed-004-python.ts'
import {
  type RunningSeed004SocketIo,
  startSeed004SocketIoServer,
} from '../../../backends/seed-004-socketio.ts'
import { answerText, defaultBehaviour } from '../../../backends/shared/behaviour.ts'
import type { Observation } from '../../../backends/shared/observation-log.ts'
import { eventsOfRequest, eventually, keys, openSocket, type SocketClient, userMessage } from './helpers.ts'

type Envelope = { type: string; data: Record<string, unknown> }

/** The document's event sequence for one answer of `words` words. */
function checkFlow(
  events: { type: string; data: Record<string, unknown> }[],
  words: number,
  userText: string,
): void {
  const [echo, placeholder, ...rest] = events
  expect(echo!.type).toBe('message_new')
  expect(echo!.data).toMatchObject({ content: userText, author_type: 'user', metadata: { streaming: false } })
  expect(placeholder!.type).toBe('message_new')
  expect(keys(placeholder!.data)).toEqual([
    'author_name',
    'author_type',
    'channel_id',
    'content',
    'created_at',
    'id',
    'metadata',
  ])
  expect(placeholder!.data).toMatchObject({
    content: '',
    author_name: 'backend',
    metadata: { streaming: true },
  })
  const id = placeholder!.data.id
  const streams = rest.filter((event) => event.type === 'message_stream')
  expect(streams).toHaveLength(words)
  streams.forEach((event, index) => {
    expect(keys(event.data)).toEqual(['chunk', 'is_final', 'message_id', 'metadata'])
    expect(event.data.message_id).toBe(id)
    expect(event.data.is_final).toBe(index === words - 1)
    expect(event.data.metadata).toEqual({ tool_calls: null })
  })
  const text = streams.map((event) => event.data.chunk).join('')
  expect(text).toBe(answerText({ ...defaultBehaviour, words }))
  const update = rest.at(-1)!
  expect(update.type).toBe('message_update')
  expect(update.data).toMatchObject({ id, content: text, metadata: { streaming: false } })
  expect(rest).toHaveLength(words + 1)
}

describe('seed 004 on FastAPI', () => {
  let backend: RunningSeed004
  let log: () => Promise<Observation[]>
  beforeAll(async () => {
    backend = await startSeed004Python()
    log = () => backend.log()
  }, 30_000)
  afterAll(() => backend.close())
  beforeEach(() => backend.clearLog())

  async function connect(query = ''): Promise<SocketClient> {
    return openSocket(`${backend.websocketUrl}${query}`)
  }

  test('echo, placeholder, chunks, final update, in the {type, data} envelope', async () => {
    const client = await connect('?delay=2&words=6')
    client.send({ type: 'message', message_id: 'client-1', ...userMessage('Explain FastAPI') })
    await client.waitFor((frame) => (frame as Envelope).type === 'message_update')
    for (const frame of client.frames) expect(keys(frame)).toEqual(['data', 'type'])
    checkFlow(client.frames as Envelope[], 6, 'Explain FastAPI')
    client.close()
  })

  test('two answers on one socket, and a complete message from another agent (peer)', async () => {
    const client = await connect('?delay=2&words=3')
    client.send(userMessage('one'))
    await eventually(() =>
      expect(client.frames.filter((frame) => (frame as Envelope).type === 'message_update')).toHaveLength(1),
    )
    client.send({ ...userMessage('two'), sluice: { peer: true } })
    await eventually(() =>
      expect(client.frames.filter((frame) => (frame as Envelope).type === 'message_update')).toHaveLength(2),
    )
    const second = client.frames.slice(6) as Envelope[]
    expect(second[1]).toMatchObject({
      type: 'message_new',
      data: { author_name: 'frontend', metadata: { streaming: false } },
    })
    checkFlow([second[0]!, ...second.slice(2)], 3, 'two')
    client.close()
  })

  test('every connection sees the broadcast', async () => {
    const sender = await connect('?delay=2&words=3')
    const watcher = await connect()
    sender.send(userMessage('hello all'))
    await watcher.waitFor((frame) => (frame as Envelope).type === 'message_update')
    checkFlow(watcher.frames as Envelope[], 3, 'hello all')
    sender.close()
    watcher.close()
  })

  test('tools: the tool calls in the final chunks metadata and the result appended as a chunk', async () => {
    const client = await connect('?delay=2&words=3&scenario=tools')
    client.send(userMessage('Weather?'))
    await client.waitFor((frame) => (frame as Envelope).type === 'message_update')
    const streams = (client.frames as Envelope[]).filter((frame) => frame.type === 'message_stream')
    expect(streams).toHaveLength(4)
    expect((streams[2]!.data.metadata as { tool_calls: unknown[] }).tool_calls).toHaveLength(1)
    expect(streams[3]!.data.is_final).toBe(true)
    expect(streams[3]!.data.chunk).toMatch(/get_weather/)
    client.close()
  })

  test('an error is the final chunk with error metadata, then the update', async () => {
    const client = await connect('?delay=2&words=10&fail_after=3')
    client.send(userMessage('Hi'))
    await client.waitFor((frame) => (frame as Envelope).type === 'message_update')
    const streams = (client.frames as Envelope[]).filter((frame) => frame.type === 'message_stream')
    expect(streams).toHaveLength(4)
    expect(streams[3]!.data.is_final).toBe(true)
    expect(typeof (streams[3]!.data.metadata as { error: unknown }).error).toBe('string')
    client.close()
  })

  test('stream_cancel stops the generator at once, with no chunk after it, and is acknowledged', async () => {
    const client = await connect('?delay=50&words=200')
    client.send(userMessage('long'))
    const placeholder = (await client.waitFor(
      (frame) => (frame as Envelope).type === 'message_new' && (frame as Envelope).data.content === '',
    )) as Envelope
    await client.waitFor((frame) => (frame as Envelope).type === 'message_stream')
    const sentAt = Date.now()
    client.send({ type: 'stream_cancel', message_id: placeholder.data.id })
    const ack = (await client.waitFor((frame) => (frame as Envelope).type === 'message_update')) as Envelope
    expect(ack.data.metadata).toEqual({ streaming: false, cancelled: true })
    const entries = await log()
    const cancel = entries.find((entry) => entry.event === 'cancel-received')!
    expect(cancel.at - sentAt).toBeLessThan(1000)
    expect(eventsOfRequest(entries)).toContain('generator-cancelled')
    expect(eventsOfRequest(entries)).not.toContain('chunk-after-stop')
    client.close()
  })

  test('a cancel with the client’s own message id and the {type, data} envelope works too', async () => {
    const client = await connect('?delay=50&words=200')
    client.send({ type: 'message', message_id: 'placeholder-7', ...userMessage('long') })
    await client.waitFor((frame) => (frame as Envelope).type === 'message_stream')
    client.send({ type: 'stream_cancel', data: { message_id: 'placeholder-7' } })
    await client.waitFor((frame) => (frame as Envelope).type === 'message_update')
    expect(eventsOfRequest(await log())).toContain('generator-cancelled')
    client.close()
  })

  test('a disconnect does not stop the stream (the document), and ignore_cancel logs chunks after the stop', async () => {
    // Long enough (about 2 s) that the cancel surely arrives mid-stream on a loaded machine.
    const client = await connect('?delay=10&words=200&ignore_cancel=1')
    client.send(userMessage('long'))
    const placeholder = (await client.waitFor(
      (frame) => (frame as Envelope).type === 'message_new' && (frame as Envelope).data.content === '',
    )) as Envelope
    await client.waitFor((frame) => (frame as Envelope).type === 'message_stream')
    client.send({ type: 'stream_cancel', message_id: placeholder.data.id })
    client.close()
    await eventually(async () => expect(eventsOfRequest(await log())).toContain('completed'))
    const events = eventsOfRequest(await log())
    expect(events.filter((event) => event === 'chunk-after-stop').length).toBeGreaterThan(5)
  })

  test('die_after kills the process: the socket drops without a close frame; restart listens on the same port', async () => {
    const client = await connect('?delay=2&words=50&die_after=5')
    client.send(userMessage('Hi'))
    expect(await client.closed).toBe(1006)
    await eventually(() => expect(backend.running).toBe(false))
    const port = backend.port
    await backend.restart()
    expect(backend.port).toBe(port)
    const again = await connect('?delay=2&words=3')
    again.send(userMessage('back?'))
    await again.waitFor((frame) => (frame as Envelope).type === 'message_update')
    again.close()
  }, 30_000)
})

describe('seed 004 over Socket.IO', () => {
  let backend: RunningSeed004SocketIo
  beforeAll(async () => {
    backend = await startSeed004SocketIoServer({ behaviour: { delay: 2 } })
  })
  afterAll(() => backend.close())
  beforeEach(() => backend.log.clear())

  async function connect(
    query: Record<string, string> = {},
  ): Promise<{ socket: Socket; events: Envelope[] }> {
    const socket = io(backend.httpUrl, { transports: ['websocket'], query, reconnection: false })
    const events: Envelope[] = []
    socket.onAny((type: string, data: Record<string, unknown>) => events.push({ type, data }))
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve())
      socket.once('connect_error', reject)
    })
    return { socket, events }
  }

  test('the same flow as named Socket.IO events', async () => {
    const { socket, events } = await connect({ words: '5' })
    socket.emit('message', userMessage('Explain FastAPI'))
    await eventually(() => expect(events.at(-1)?.type).toBe('message_update'))
    checkFlow(events, 5, 'Explain FastAPI')
    socket.disconnect()
  })

  test('stream_cancel stops the generator and is acknowledged; nothing after it', async () => {
    const { socket, events } = await connect({ delay: '50', words: '200' })
    socket.emit('message', userMessage('long'))
    await eventually(() => expect(events.some((event) => event.type === 'message_stream')).toBe(true))
    socket.emit('stream_cancel', { message_id: events[1]!.data.id })
    await eventually(() => expect(events.at(-1)?.type).toBe('message_update'))
    expect(events.at(-1)!.data.metadata).toEqual({ streaming: false, cancelled: true })
    const log = backend.log.entries()
    expect(eventsOfRequest(log)).toContain('generator-cancelled')
    expect(eventsOfRequest(log)).not.toContain('chunk-after-stop')
    socket.disconnect()
  })

  test('dropConnections kills the transport without a disconnect packet', async () => {
    const { socket } = await connect()
    const reason = new Promise<string>((resolve) => socket.once('disconnect', resolve))
    backend.dropConnections()
    expect(await reason).toBe('transport close')
  })
})
