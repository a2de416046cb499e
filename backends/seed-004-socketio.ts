/**
 * Seed 004 over Socket.IO: the same processor flow as the FastAPI backend
 * (`seed-004-fastapi/server.py`), for clients written like the seed's own frontend snippets
 * (`socket.on('message_stream', (data) => …)`). Every event is `io.emit(event, data)` to the
 * whole channel, with the data objects of the document:
 *
 * - `message_new` `{id, channel_id, content, author_name, author_type, created_at, metadata: {streaming}}`
 *   (the user's echo with `streaming: false`, then the agent's placeholder with `streaming: true`);
 * - `message_stream` `{message_id, chunk, is_final, metadata: {tool_calls}}` (with tools, the LLM's
 *   last chunk is final and names the calls; the results follow as one more final chunk);
 * - `message_update` `{id, content, metadata: {streaming: false}}`.
 *
 * A request is any client event carrying `content`, `text` or `messages` (the seed does not name
 * the event; `message` is what Sluice's transport sends). `stream_cancel` `{message_id}` cancels
 * (the server then sends `message_update` with `metadata.cancelled: true`); a disconnect does not
 * ("Client disconnect: Streaming continues"). Errors are the final chunk's metadata
 * (`{chunk: "Error: …", is_final: true, metadata: {error}}`), followed by `message_update`.
 * Knobs as for every reference backend (`backends/README.md`), from the handshake query
 * (`io(url, { query: { delay: 200 } })`), `POST /control`, a `sluice` object, or a directive;
 * `die_after` destroys every TCP connection without a close frame.
 *
 * @example
 * ```ts
 * const backend = await startSeed004SocketIoServer({ port: 0 })
 * const socket = io(backend.httpUrl, { transports: ['websocket'] })
 * ```
 * @module
 */

import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket as NetSocket } from 'node:net'
import { Server, type Socket } from 'socket.io'
import {
  answerChunks,
  type BackendBehaviour,
  type BehaviourSource,
  defaultBehaviour,
  directiveBehaviour,
  resolveBehaviour,
} from './shared/behaviour.ts'
import { createObservationLog, type ObservationLog } from './shared/observation-log.ts'
import { conversation, field, lastUserText, readJsonBody } from './shared/request-body.ts'
import { pause } from './shared/stream-pump.ts'

/** Options of {@link startSeed004SocketIoServer}. */
export interface Seed004SocketIoOptions {
  port?: number
  host?: string
  behaviour?: BehaviourSource
  echo?: boolean
}

/** A running Socket.IO seed 004 backend. */
export interface RunningSeed004SocketIo {
  seed: 'seed-004-socketio'
  readonly port: number
  readonly httpUrl: string
  log: ObservationLog
  setBehaviour(source: BehaviourSource): void
  /** Destroy every TCP connection (no close frame, no disconnect packet). */
  dropConnections(): void
  stop(): Promise<void>
  restart(): Promise<void>
  close(): Promise<void>
}

/** The tool call of the `tools` scenario, reported in the final chunks' metadata. */
export const seed004ToolCalls = [{ id: 'tool_weather_1', name: 'get_weather', arguments: { city: 'Paris' } }]

/** The tool's result, appended as an additional chunk. */
export const seed004ToolResultText = '\n\nget_weather: 21 °C and sunny in Paris.'

interface ActiveStream {
  messageId: string
  clientMessageId?: string
  request: string
  connection: string
  cancel: AbortController
  cancelReceivedAt?: number
}

const corsHeaders = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' }

/**
 * Start the Socket.IO flavour of seed 004.
 *
 * @example
 * ```ts
 * const backend = await startSeed004SocketIoServer({ port: 8705, echo: true })
 * ```
 */
export async function startSeed004SocketIoServer(
  options: Seed004SocketIoOptions = {},
): Promise<RunningSeed004SocketIo> {
  const host = options.host ?? '127.0.0.1'
  const log = createObservationLog(
    'seed-004-socketio',
    options.echo === undefined ? {} : { echo: options.echo },
  )
  let serverBehaviour: BackendBehaviour = resolveBehaviour(defaultBehaviour, [options.behaviour])
  const streams = new Map<string, ActiveStream>()
  const tcpSockets = new Set<NetSocket>()
  let requestCounter = 0

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    // Socket.IO answers its own path; everything else is ours.
    if (url.pathname.startsWith('/socket.io/')) return
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { ...corsHeaders, 'access-control-allow-methods': 'GET, POST, DELETE' })
      response.end()
    } else if (url.pathname === '/log' && request.method === 'DELETE') {
      log.clear()
      response.writeHead(204, corsHeaders)
      response.end()
    } else if (url.pathname === '/log') {
      response.writeHead(200, { ...corsHeaders, 'content-type': 'application/x-ndjson' })
      response.end(log.toNdjson())
    } else if (url.pathname === '/control') {
      if (request.method === 'POST')
        serverBehaviour = resolveBehaviour(serverBehaviour, [await readJsonBody(request)])
      if (request.method === 'DELETE')
        serverBehaviour = resolveBehaviour(defaultBehaviour, [options.behaviour])
      response.writeHead(200, { ...corsHeaders, 'content-type': 'application/json' })
      response.end(JSON.stringify(serverBehaviour))
    } else if (url.pathname === '/health') {
      response.writeHead(200, { ...corsHeaders, 'content-type': 'application/json' })
      response.end(JSON.stringify({ seed: 'seed-004-socketio', ok: true }))
    } else {
      response.writeHead(404, { ...corsHeaders, 'content-type': 'application/json' })
      response.end(
        JSON.stringify({
          error: { message: `seed-004-socketio has no ${url.pathname}; connect Socket.IO at /socket.io/.` },
        }),
      )
    }
  }

  const httpServer = createServer((request, response) => {
    handleHttp(request, response).catch((error: unknown) => {
      if (response.headersSent) return
      response.writeHead(400, { ...corsHeaders, 'content-type': 'application/json' })
      response.end(
        JSON.stringify({
          error: { message: `seed-004-socketio: ${error instanceof Error ? error.message : String(error)}` },
        }),
      )
    })
  })
  httpServer.on('connection', (socket) => {
    tcpSockets.add(socket)
    socket.on('close', () => tcpSockets.delete(socket))
  })
  const io = new Server(httpServer, { cors: { origin: '*' }, maxHttpBufferSize: 1024 * 1024 })

  function dropConnections(): void {
    for (const socket of tcpSockets) socket.destroy()
  }

  async function answer(
    payload: Record<string, unknown>,
    behaviour: BackendBehaviour,
    socket: Socket,
  ): Promise<void> {
    requestCounter++
    const request = `r${requestCounter}`
    const text = lastUserText(conversation(payload))
    const channelId =
      typeof field(payload, 'channel_id') === 'string' ? (field(payload, 'channel_id') as string) : 'general'
    const clientMessageId = field(payload, 'message_id')
    log.record('request', { request, transport: 'socket.io', connection: socket.id, behaviour })
    const now = () => new Date().toISOString()
    io.emit('message_new', {
      id: `msg-${randomUUID().slice(0, 12)}`,
      channel_id: channelId,
      content: text,
      author_name: 'You',
      author_type: 'user',
      created_at: now(),
      metadata: { streaming: false },
    })
    const messageId = `msg-${randomUUID().slice(0, 12)}`
    const stream: ActiveStream = { messageId, request, connection: socket.id, cancel: new AbortController() }
    if (typeof clientMessageId === 'string') stream.clientMessageId = clientMessageId
    streams.set(messageId, stream)
    io.emit('message_new', {
      id: messageId,
      channel_id: channelId,
      content: '',
      author_name: 'backend',
      author_type: 'agent',
      created_at: now(),
      metadata: { streaming: true },
    })
    // The LLM's last chunk is final (`llm.stream` yields `(text_chunk, is_final, tool_calls)`,
    // the tool calls with the final one); the tool results follow as one more chunk.
    const chunks = answerChunks(behaviour)
    const planned: { chunk: string; isFinal: boolean; metadata: Record<string, unknown> }[] = chunks.map(
      (chunk, index) => ({ chunk, isFinal: index === chunks.length - 1, metadata: { tool_calls: null } }),
    )
    if (behaviour.scenario === 'tools') {
      planned[planned.length - 1]!.metadata = { tool_calls: seed004ToolCalls }
      planned.push({
        chunk: seed004ToolResultText,
        isFinal: true,
        metadata: { tool_calls: seed004ToolCalls },
      })
    }
    let accumulated = ''
    let sent = 0
    let cancelled = false
    const waitSignal = behaviour.ignoreCancel ? undefined : stream.cancel.signal
    try {
      for (let index = 0; index < planned.length; index++) {
        await pause(index === 0 ? behaviour.firstDelay : behaviour.delay, waitSignal)
        if (stream.cancel.signal.aborted && !behaviour.ignoreCancel) {
          cancelled = true
          log.record('generator-cancelled', { request, chunksSent: sent })
          break
        }
        if (behaviour.dieAfter !== undefined && sent >= behaviour.dieAfter) {
          log.record('died', { request, chunksSent: sent })
          dropConnections()
          return
        }
        if (behaviour.failAfter !== undefined && sent >= behaviour.failAfter) {
          const message = 'The model provider failed mid-stream (told to fail by the test).'
          accumulated += `Error: ${message}`
          io.emit('message_stream', {
            message_id: messageId,
            chunk: `Error: ${message}`,
            is_final: true,
            metadata: { error: message },
          })
          log.record('failed', { request, chunksSent: sent })
          break
        }
        const { chunk, isFinal, metadata } = planned[index]!
        accumulated += chunk
        io.emit('message_stream', { message_id: messageId, chunk, is_final: isFinal, metadata })
        sent++
        if (stream.cancelReceivedAt !== undefined) {
          log.record('chunk-after-stop', {
            request,
            index,
            afterStopMs: Date.now() - stream.cancelReceivedAt,
          })
        } else {
          log.record('chunk', { request, index })
        }
        if (index === planned.length - 1) log.record('completed', { request, chunksSent: sent })
      }
      io.emit('message_update', {
        id: messageId,
        channel_id: channelId,
        content: accumulated,
        author_name: 'backend',
        metadata: cancelled ? { streaming: false, cancelled: true } : { streaming: false },
      })
    } finally {
      streams.delete(messageId)
    }
  }

  io.on('connection', (socket) => {
    log.record('connection', { connection: socket.id })
    const query = socket.handshake.query as Record<string, unknown>
    socket.on('stream_cancel', (data: unknown) => {
      const messageId = field(data, 'message_id')
      let matched = false
      for (const stream of streams.values()) {
        const named =
          typeof messageId === 'string' &&
          (messageId === stream.messageId || messageId === stream.clientMessageId)
        if (!named && !(messageId === undefined && stream.connection === socket.id)) continue
        matched = true
        if (stream.cancelReceivedAt !== undefined) continue
        stream.cancelReceivedAt = Date.now()
        log.record('cancel-received', {
          request: stream.request,
          how: 'stream_cancel',
          messageId: stream.messageId,
        })
        stream.cancel.abort()
      }
      if (!matched)
        log.record('rejected', {
          connection: socket.id,
          message: `stream_cancel for unknown message ${String(messageId)}`,
        })
    })
    socket.onAny((event: string, data: unknown) => {
      if (event === 'stream_cancel') return
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        log.record('rejected', { connection: socket.id, event, message: 'the payload is not an object' })
        socket.emit('error_message', {
          message: `seed-004-socketio: "${event}" needs an object payload such as {content: "Hi"}.`,
        })
        return
      }
      const payload = data as Record<string, unknown>
      const turns = conversation(payload)
      if (turns.length === 0) {
        log.record('rejected', { connection: socket.id, event, message: 'no content, text or messages' })
        return
      }
      const knobs = field(payload, 'sluice')
      const behaviour = resolveBehaviour(serverBehaviour, [
        query,
        typeof knobs === 'object' && knobs !== null ? (knobs as BehaviourSource) : undefined,
        directiveBehaviour(lastUserText(turns)),
      ])
      void answer(payload, behaviour, socket)
    })
    socket.on('disconnect', (reason) => {
      // The seed: "Client disconnect: Streaming continues, message saved to DB".
      log.record('connection-closed', { connection: socket.id, reason })
    })
  })

  let port = options.port ?? 0
  async function listen(): Promise<void> {
    httpServer.listen(port, host)
    await once(httpServer, 'listening')
    port = (httpServer.address() as AddressInfo).port
    log.record('listening', { port })
  }
  async function stop(): Promise<void> {
    if (!httpServer.listening) return
    const closed = new Promise((resolve) => httpServer.close(resolve))
    dropConnections()
    await closed
  }
  await listen()
  return {
    seed: 'seed-004-socketio',
    get port() {
      return port
    },
    get httpUrl() {
      return `http://${host}:${port}`
    },
    log,
    setBehaviour(source) {
      serverBehaviour = resolveBehaviour(serverBehaviour, [source])
    },
    dropConnections() {
      log.record('died', { connections: tcpSockets.size })
      dropConnections()
    },
    stop,
    restart: listen,
    async close() {
      io.close()
      await stop()
    },
  }
}
