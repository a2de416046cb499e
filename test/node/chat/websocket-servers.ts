/**
 * Real socket servers for the transport tests, on 127.0.0.1 and a port the system picks: a
 * `ws` WebSocketServer and a `socket.io` Server that answer each request with a stream in one
 * seed protocol's literal wire (seed 001 `StreamChunk`, seed 002 `StreamDelta`, seed 003
 * aof-runtime `StreamEvent`, seed 004 `message_new` / `message_stream` / `message_update`).
 * They log what they observed (requests, cancels, closes, chunks produced after a stop), and
 * can be killed (sockets destroyed without a close frame), frozen (silent, never closing) and
 * restarted on the same port.
 */
import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server as SocketIoServer, type Socket as SocketIoSocket } from 'socket.io'
import { type WebSocket, WebSocketServer } from 'ws'

export type SeedWire = 'stream-chunk' | 'stream-delta' | 'agent-events' | 'message-events'

/** One answer the server streamed (or began to). */
export interface StreamRecord {
  /** The message id the server gave the answer (message-events) or the request's id. */
  id: string
  requestMessageId: string
  userText: string
  /** The whole answer the server means to send. */
  text: string
  chunksSent: number
  /** When the request arrived and when the answer's last frame went out, epoch ms. */
  requestedAt: number
  finishedAt: number | undefined
  /** When the server saw the stop (a cancel frame or the socket closing), epoch ms. */
  stoppedAt: number | undefined
  stoppedBy: 'cancel' | 'close' | undefined
  /** Chunks sent when the server saw the stop; `chunksSent` staying there means none came after. */
  chunksAtStop: number | undefined
  /** Chunks still to send after a cancel (`lateChunksAfterCancel`: frames already in flight). */
  lateChunks: number
  /** The acknowledgement still to send after the late chunks. */
  ack?: [string, Record<string, unknown>] | undefined
  finished: boolean
}

export interface ServerOptions {
  wire: SeedWire
  /** Pieces per answer (words of the answer text). */
  pieces?: number
  /** Milliseconds between pieces. */
  delay?: number
  /** The frame type (id-less wires) or Socket.IO event read as a cancel. Default `stream_cancel`. */
  cancelType?: string
  /** Ignore cancel frames (the socket closing still stops the stream). */
  ignoreCancel?: boolean
  /** What the server sends when it honours a cancel (seed 003: `Error { "Execution cancelled by user" }`). */
  cancelAck?: boolean
  /** message-events: send this many chunks of a cancelled answer anyway (frames already in flight). */
  lateChunksAfterCancel?: number
  /** Answer `{type: 'ping'}` frames with `{type: 'pong'}`. */
  answerPings?: boolean
  /** Milliseconds between a request and the start of its answer (a backend that saves, then calls the model). */
  startDelay?: number
  /** Frames sent in reply to the `index`-th request (1-based) before its answer (stale frames of an older answer). */
  beforeAnswer?: (index: number) => [string, Record<string, unknown>][]
}

/** What a transport under test talks to. */
export interface TestServer {
  readonly url: string
  readonly port: number
  readonly connections: number
  readonly streams: StreamRecord[]
  readonly received: unknown[]
  /** Client sockets that closed, with when. */
  readonly closes: number[]
  /** Destroy every client socket without a close frame and stop listening (a killed process). */
  kill(): Promise<void>
  /** Stop answering anything and go silent, keeping every socket open (a network that dropped). */
  freeze(): void
  /** Listen again on the same port. */
  restart(): Promise<void>
  close(): Promise<void>
}

/** The answer text for the `index`-th request (1-based) to `userText`. */
export function answerText(index: number, userText: string, pieces: number): string {
  const words = [`Answer ${index} to "${userText}":`]
  for (let piece = 1; piece < pieces; piece++) words.push(`word${piece}`)
  return words.join(' ')
}

/** The wire's frames for one answer, as `[event name, payload]` (the name matters to message-events and Socket.IO). */
type Outgoing = [string, Record<string, unknown>]

function pieceFrames(wire: SeedWire, id: string, piece: string, index: number, last: boolean): Outgoing[] {
  switch (wire) {
    case 'stream-chunk':
      return [['stream', { text: piece, is_complete: false, token_count: index + 1 }]]
    case 'stream-delta':
      return [['stream', { content: piece, tool_calls: null, finish_reason: null, usage: null }]]
    case 'agent-events':
      return [['stream', { type: 'TextDelta', delta: piece, timestamp: 1_700_000_000_000 + index }]]
    case 'message-events':
      return [
        [
          'message_stream',
          { message_id: id, chunk: piece, is_final: last, metadata: last ? { tool_calls: null } : {} },
        ],
      ]
  }
}

function endFrames(wire: SeedWire, id: string, text: string, count: number): Outgoing[] {
  switch (wire) {
    case 'stream-chunk':
      return [['stream', { text: '', is_complete: true, token_count: count }]]
    case 'stream-delta':
      return [
        [
          'stream',
          {
            content: null,
            tool_calls: null,
            finish_reason: 'stop',
            usage: { prompt_tokens: 5, completion_tokens: count, total_tokens: 5 + count },
          },
        ],
      ]
    case 'agent-events':
      return [
        [
          'stream',
          {
            type: 'Done',
            content: text,
            total_iterations: 1,
            execution_time_ms: 12,
            input_tokens: 5,
            output_tokens: count,
          },
        ],
      ]
    case 'message-events':
      return [['message_update', { id, content: text, metadata: { streaming: false } }]]
  }
}

interface Peer {
  send(outgoing: Outgoing): void
  readonly open: boolean
}

/** The streaming logic both servers share. */
function createStreamer(options: ServerOptions) {
  const pieces = options.pieces ?? 8
  const delay = options.delay ?? 15
  const streams: StreamRecord[] = []
  const received: unknown[] = []
  const timers = new Set<ReturnType<typeof setTimeout>>()
  let requestCount = 0
  let frozen = false
  /** The streams of each peer, to stop them when it closes. */
  const streamsOf = new Map<Peer, StreamRecord[]>()

  function later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer)
      if (!frozen) action()
    }, ms)
    timers.add(timer)
  }

  function onRequest(peer: Peer, value: Record<string, unknown>): void {
    requestCount++
    const messages = Array.isArray(value.messages)
      ? (value.messages as { role: string; content: string }[])
      : []
    const userText = messages.filter((message) => message.role === 'user').at(-1)?.content ?? ''
    const requestMessageId = String(value.message_id ?? '')
    const id = options.wire === 'message-events' ? `srv-${requestCount}` : requestMessageId
    const text = answerText(requestCount, userText, pieces)
    const record: StreamRecord = {
      id,
      requestMessageId,
      userText,
      text,
      chunksSent: 0,
      requestedAt: Date.now(),
      finishedAt: undefined,
      stoppedAt: undefined,
      stoppedBy: undefined,
      chunksAtStop: undefined,
      lateChunks: 0,
      finished: false,
    }
    streams.push(record)
    const list = streamsOf.get(peer) ?? []
    list.push(record)
    streamsOf.set(peer, list)
    const words = text.split(' ').map((word, index) => (index === 0 ? word : ` ${word}`))
    for (const outgoing of options.beforeAnswer?.(requestCount) ?? []) peer.send(outgoing)
    const begin = () => {
      if (options.wire === 'message-events') {
        // Seed 004: the placeholder first, then the chunks.
        peer.send(['message_new', { id, content: '', author_name: 'backend', metadata: { streaming: true } }])
      }
      later(delay, () => step(0))
    }
    const step = (index: number) => {
      if (!peer.open || frozen) return
      if (record.stoppedAt !== undefined) {
        // Stopped: only the chunks a test asked to be "already in flight" still go out, then
        // the acknowledgement (when the server sends one) as the stream's last frame.
        if (record.lateChunks <= 0 || index >= words.length) {
          const ack = record.ack
          record.ack = undefined
          if (ack) peer.send(ack)
          return
        }
        record.lateChunks--
      } else if (index >= words.length) {
        for (const outgoing of endFrames(options.wire, id, text, words.length)) peer.send(outgoing)
        record.finished = true
        record.finishedAt = Date.now()
        return
      }
      for (const outgoing of pieceFrames(options.wire, id, words[index]!, index, index === words.length - 1))
        peer.send(outgoing)
      record.chunksSent++
      later(delay, () => step(index + 1))
    }
    if (options.startDelay) later(options.startDelay, begin)
    else begin()
  }

  function onCancel(peer: Peer, messageId: string | undefined): void {
    if (options.ignoreCancel) return
    for (const record of streamsOf.get(peer) ?? []) {
      if (record.finished || record.stoppedAt !== undefined) continue
      if (messageId !== undefined && record.id !== messageId && record.requestMessageId !== messageId)
        continue
      record.stoppedAt = Date.now()
      record.stoppedBy = 'cancel'
      record.chunksAtStop = record.chunksSent
      record.lateChunks = options.lateChunksAfterCancel ?? 0
      if (options.cancelAck) {
        record.ack =
          options.wire === 'agent-events'
            ? ['stream', { type: 'Error', message: 'Execution cancelled by user' }]
            : options.wire === 'message-events'
              ? ['stream_cancelled', { message_id: record.id }]
              : options.wire === 'stream-chunk'
                ? [
                    'stream',
                    {
                      text: '',
                      is_complete: true,
                      token_count: record.chunksSent,
                      finish_reason: 'cancelled',
                    },
                  ]
                : ['stream', { content: null, tool_calls: null, finish_reason: 'cancelled', usage: null }]
      }
    }
  }

  function onClose(peer: Peer): void {
    for (const record of streamsOf.get(peer) ?? []) {
      if (record.finished || record.stoppedAt !== undefined) continue
      record.stoppedAt = Date.now()
      record.stoppedBy = 'close'
      record.chunksAtStop = record.chunksSent
    }
    streamsOf.delete(peer)
  }

  function onFrame(peer: Peer, value: unknown): void {
    if (frozen) return
    received.push(value)
    if (typeof value !== 'object' || value === null) return
    const frame = value as Record<string, unknown>
    const type = frame.type
    if (type === (options.cancelType ?? 'stream_cancel')) {
      onCancel(peer, typeof frame.message_id === 'string' ? frame.message_id : undefined)
    } else if (type === 'ping') {
      if (options.answerPings) peer.send(['pong', {}])
    } else if (type === 'message') {
      onRequest(peer, frame)
    }
  }

  return {
    streams,
    received,
    onFrame,
    onClose,
    freeze() {
      frozen = true
    },
    stopAll() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
    },
  }
}

function wsPayload(wire: SeedWire, [name, payload]: Outgoing): string {
  if (wire === 'message-events') return JSON.stringify({ type: name, data: payload })
  if (name === 'pong') return JSON.stringify({ type: 'pong' })
  return JSON.stringify(payload)
}

async function listen(server: HttpServer, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  return (server.address() as AddressInfo).port
}

/** A `ws` server speaking one seed wire on 127.0.0.1. */
export async function startWebSocketServer(options: ServerOptions): Promise<TestServer> {
  const streamer = createStreamer(options)
  const closes: number[] = []
  let connections = 0
  let http: HttpServer
  let wss: WebSocketServer
  const sockets = new Set<WebSocket>()
  let port = 0

  async function start(): Promise<void> {
    http = createServer()
    wss = new WebSocketServer({ server: http })
    wss.on('connection', (socket) => {
      connections++
      sockets.add(socket)
      const peer: Peer = {
        send: (outgoing) => {
          if (socket.readyState === socket.OPEN) socket.send(wsPayload(options.wire, outgoing))
        },
        get open() {
          return socket.readyState === socket.OPEN
        },
      }
      socket.on('message', (data) => {
        let value: unknown
        try {
          value = JSON.parse(String(data))
        } catch {
          value = String(data)
        }
        streamer.onFrame(peer, value)
      })
      socket.on('close', () => {
        sockets.delete(socket)
        closes.push(Date.now())
        streamer.onClose(peer)
      })
    })
    port = await listen(http, port)
  }
  await start()

  async function shutdown(): Promise<void> {
    for (const socket of sockets) socket.terminate()
    sockets.clear()
    await new Promise<void>((resolve) => wss.close(() => resolve()))
    await new Promise<void>((resolve) => http.close(() => resolve()))
  }

  return {
    get url() {
      return `ws://127.0.0.1:${port}/chat`
    },
    get port() {
      return port
    },
    get connections() {
      return connections
    },
    streams: streamer.streams,
    received: streamer.received,
    closes,
    async kill() {
      streamer.stopAll()
      await shutdown()
    },
    freeze() {
      streamer.freeze()
      // Nothing is read any more either: the client's frames go nowhere, as on a dead network.
      for (const socket of sockets) (socket as unknown as { _socket: { pause(): void } })._socket.pause()
    },
    restart: start,
    async close() {
      streamer.stopAll()
      await shutdown()
    },
  }
}

/** A `socket.io` server speaking one seed wire as Socket.IO events on 127.0.0.1. */
export async function startSocketIoServer(options: ServerOptions): Promise<TestServer> {
  const streamer = createStreamer(options)
  const closes: number[] = []
  let connections = 0
  let http: HttpServer
  let io: SocketIoServer
  const sockets = new Set<SocketIoSocket>()
  let port = 0

  async function start(): Promise<void> {
    http = createServer()
    io = new SocketIoServer(http, { pingInterval: 25_000, pingTimeout: 20_000 })
    io.on('connection', (socket) => {
      connections++
      sockets.add(socket)
      const peer: Peer = {
        send: ([name, payload]) => {
          if (socket.connected) socket.emit(options.wire === 'message-events' ? name : 'stream', payload)
        },
        get open() {
          return socket.connected
        },
      }
      socket.onAny((event: string, payload: unknown) => {
        const fields = typeof payload === 'object' && payload !== null ? payload : {}
        streamer.onFrame(peer, { type: event, ...fields })
      })
      socket.on('disconnect', () => {
        sockets.delete(socket)
        closes.push(Date.now())
        streamer.onClose(peer)
      })
    })
    port = await listen(http, port)
  }
  await start()

  async function shutdown(): Promise<void> {
    // Destroy the connections under Socket.IO without a disconnect packet, like a killed process.
    for (const socket of sockets) {
      const transport = socket.conn.transport as unknown as { socket?: { terminate?(): void } }
      transport.socket?.terminate?.()
    }
    http.closeAllConnections()
    sockets.clear()
    await new Promise<void>((resolve) => {
      io.close(() => resolve())
    })
  }

  return {
    get url() {
      return `http://127.0.0.1:${port}`
    },
    get port() {
      return port
    },
    get connections() {
      return connections
    },
    streams: streamer.streams,
    received: streamer.received,
    closes,
    async kill() {
      streamer.stopAll()
      await shutdown()
    },
    freeze() {
      streamer.freeze()
    },
    restart: start,
    async close() {
      streamer.stopAll()
      await shutdown()
    },
  }
}
