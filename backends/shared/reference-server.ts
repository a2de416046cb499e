/**
 * The HTTP and WebSocket plumbing the Node reference backends share (`node:http` and `ws`):
 * CORS for the playground's origin, `GET /log`, `POST /control`, the streaming endpoints in SSE
 * or NDJSON, and a WebSocket endpoint that answers one request after another on the same socket.
 * A seed module only plans the frames of an answer; what goes on the wire is its document's.
 *
 * @module
 */
import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { type WebSocket, WebSocketServer } from 'ws'
import {
  type BackendBehaviour,
  type BehaviourSource,
  defaultBehaviour,
  directiveBehaviour,
  queryBehaviour,
  resolveBehaviour,
} from './behaviour.ts'
import { createObservationLog, type ObservationLog } from './observation-log.ts'
import {
  type ConversationTurn,
  conversation,
  field,
  lastUserText,
  parseJsonObject,
  RequestRejected,
  readJsonBody,
} from './request-body.ts'
import { type PumpOutcome, pumpFrames } from './stream-pump.ts'

/** One request, as a seed module sees it. */
export interface AnswerRequest {
  /** The request id in the log (`r1`, `r2`, …). */
  request: string
  body: Record<string, unknown>
  turns: ConversationTurn[]
  userText: string
  behaviour: BackendBehaviour
  transport: 'http' | 'websocket'
  /** `Date.now()` when the request arrived. */
  startedAt: number
}

/** The frames of one answer. Strings are written as they are (`[DONE]`); anything else as JSON. */
export interface AnswerPlan {
  frames: (unknown | (() => unknown))[]
  /** The pause before a frame, by its index, where it is not the behaviour's `delay` (a tool running). */
  delays?: ReadonlyMap<number, number>
  /** What replaces the rest of the answer when `fail_after` is reached. */
  failFrames(): unknown[]
  /** What the generator sends when it is cancelled (the connection may already be gone). */
  cancelFrames?(): unknown[]
  /** Answer with one JSON body instead of a stream (seed 000's non-streaming fallback). */
  json?: () => unknown
}

/** What a seed module gives the shared server. */
export interface SeedDefinition {
  /** The name in logs (`seed-001`). */
  seed: string
  /** POST paths that stream an answer over HTTP. */
  httpPaths: readonly string[]
  /** Whether `/ws` takes WebSocket connections. */
  websocket: boolean
  plan(request: AnswerRequest): AnswerPlan
}

/** Options every reference backend takes. */
export interface ReferenceServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number
  /** Always loopback unless told otherwise. */
  host?: string
  /** Knobs every request starts from. */
  behaviour?: BehaviourSource
  /** Print each log line on stdout. */
  echo?: boolean
}

/** A running reference backend. */
export interface RunningBackend {
  seed: string
  port: number
  /** `http://127.0.0.1:PORT` */
  httpUrl: string
  /** `ws://127.0.0.1:PORT` */
  websocketUrl: string
  log: ObservationLog
  /** Set the knobs every later request starts from (what `POST /control` does). */
  setBehaviour(source: BehaviourSource): void
  /** Destroy every open connection at once: no close frame, no terminal event (a crash, as clients see it). */
  dropConnections(): void
  /** Die: drop every connection and stop listening, as a killed process does. */
  stop(): Promise<void>
  /** Listen again on the same port (the process restarted). */
  restart(): Promise<void>
  /** Shut down for good. */
  close(): Promise<void>
}

const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': '*',
  'access-control-expose-headers': '*',
  'access-control-max-age': '600',
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { ...corsHeaders, 'content-type': 'application/json' })
  response.end(JSON.stringify(value))
}

function encodeFrame(frame: unknown): string {
  return typeof frame === 'string' ? frame : JSON.stringify(frame)
}

/** Cancel frames a WebSocket client may send; the id-less seeds name none, so any of these stops the answer. */
const cancelTypes = new Set(['cancel', 'stream_cancel', 'stop', 'abort'])

function isCancelFrame(frame: Record<string, unknown>): boolean {
  const type = field(frame, 'type') ?? field(frame, 'event')
  return typeof type === 'string' && cancelTypes.has(type.toLowerCase())
}

/**
 * Start a reference backend for one seed.
 *
 * @example
 * ```ts
 * const backend = await startReferenceServer(seed001, { port: 0 })
 * await fetch(`${backend.httpUrl}/stream`, { method: 'POST', body: '{"messages":[]}' })
 * await backend.close()
 * ```
 */
export async function startReferenceServer(
  definition: SeedDefinition,
  options: ReferenceServerOptions = {},
): Promise<RunningBackend> {
  const host = options.host ?? '127.0.0.1'
  const log = createObservationLog(definition.seed, options.echo === undefined ? {} : { echo: options.echo })
  let serverBehaviour: BackendBehaviour = resolveBehaviour(defaultBehaviour, [options.behaviour])
  let requestCounter = 0
  const sockets = new Set<Socket>()
  const websockets = new Set<WebSocket>()

  function newRequest(
    body: Record<string, unknown>,
    url: string,
    transport: AnswerRequest['transport'],
  ): AnswerRequest {
    const turns = conversation(body)
    const userText = lastUserText(turns)
    const bodyKnobs = field(body, 'sluice')
    const behaviour = resolveBehaviour(serverBehaviour, [
      queryBehaviour(url),
      typeof bodyKnobs === 'object' && bodyKnobs !== null ? (bodyKnobs as BehaviourSource) : undefined,
      directiveBehaviour(userText),
    ])
    requestCounter++
    return {
      request: `r${requestCounter}`,
      body,
      turns,
      userText,
      behaviour,
      transport,
      startedAt: Date.now(),
    }
  }

  async function streamOverHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readJsonBody(request)
    const answer = newRequest(body, request.url ?? '/', 'http')
    const plan = definition.plan(answer)
    log.record('request', {
      request: answer.request,
      transport: 'http',
      path: request.url,
      behaviour: answer.behaviour,
      stream: plan.json === undefined,
    })
    const cancel = new AbortController()
    response.on('close', () => {
      if (response.writableFinished) return
      log.record('cancel-received', { request: answer.request, how: 'connection-closed' })
      cancel.abort()
    })
    if (plan.json !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, answer.behaviour.firstDelay))
      if (cancel.signal.aborted) return
      sendJson(response, 200, plan.json())
      log.record('completed', { request: answer.request, chunksSent: 1 })
      return
    }
    const ndjson = answer.behaviour.framing === 'ndjson'
    response.writeHead(200, {
      ...corsHeaders,
      'content-type': ndjson ? 'application/x-ndjson' : 'text/event-stream',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    })
    response.flushHeaders()
    const outcome = await pumpFrames({
      log,
      request: answer.request,
      behaviour: answer.behaviour,
      frames: plan.frames,
      failFrames: plan.failFrames,
      ...(plan.cancelFrames ? { cancelFrames: plan.cancelFrames } : {}),
      ...(plan.delays ? { delays: plan.delays } : {}),
      cancel: cancel.signal,
      die: () => response.socket?.destroy(),
      write: async (frame) => {
        if (response.destroyed || response.writableEnded) return false
        const text = encodeFrame(frame)
        const flowing = response.write(ndjson ? `${text}\n` : `data: ${text}\n\n`)
        // Backpressure: a slow client holds the generator (the seeds' bounded channels).
        if (!flowing) await Promise.race([once(response, 'drain'), once(response, 'close')])
        return true
      },
    })
    if (outcome !== 'died' && !response.destroyed) response.end()
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    if (request.method === 'OPTIONS') {
      response.writeHead(204, corsHeaders)
      response.end()
      return
    }
    if (url.pathname === '/log') {
      if (request.method === 'DELETE') {
        log.clear()
        response.writeHead(204, corsHeaders)
        response.end()
        return
      }
      response.writeHead(200, { ...corsHeaders, 'content-type': 'application/x-ndjson' })
      response.end(log.toNdjson())
      return
    }
    if (url.pathname === '/control') {
      if (request.method === 'POST')
        serverBehaviour = resolveBehaviour(serverBehaviour, [await readJsonBody(request)])
      if (request.method === 'DELETE')
        serverBehaviour = resolveBehaviour(defaultBehaviour, [options.behaviour])
      sendJson(response, 200, serverBehaviour)
      return
    }
    if (url.pathname === '/health') {
      sendJson(response, 200, { seed: definition.seed, ok: true })
      return
    }
    if (request.method === 'POST' && definition.httpPaths.includes(url.pathname)) {
      await streamOverHttp(request, response)
      return
    }
    sendJson(response, 404, {
      error: {
        message: `${definition.seed} has no ${request.method} ${url.pathname}. It streams at POST ${definition.httpPaths.join(', ')}${definition.websocket ? ' and ws /ws' : ''}.`,
      },
    })
  }

  function serveSocket(socket: WebSocket, url: string): void {
    websockets.add(socket)
    const connection = `c${websockets.size}-${Date.now()}`
    log.record('connection', { connection })
    // The id-less seeds answer in order on one socket: a request waits for the one before it.
    const queue: AnswerRequest[] = []
    let current: { answer: AnswerRequest; cancel: AbortController } | undefined
    let firstFrame = true

    const next = async (): Promise<void> => {
      if (current !== undefined) return
      const answer = queue.shift()
      if (answer === undefined) return
      const cancel = new AbortController()
      current = { answer, cancel }
      const plan = definition.plan(answer)
      log.record('request', {
        request: answer.request,
        transport: 'websocket',
        connection,
        behaviour: answer.behaviour,
      })
      let outcome: PumpOutcome = 'completed'
      try {
        outcome = await pumpFrames({
          log,
          request: answer.request,
          behaviour: answer.behaviour,
          frames: plan.json ? [plan.json] : plan.frames,
          failFrames: plan.failFrames,
          ...(plan.cancelFrames ? { cancelFrames: plan.cancelFrames } : {}),
          ...(plan.delays && !plan.json ? { delays: plan.delays } : {}),
          cancel: cancel.signal,
          die: () => socket.terminate(),
          write: (frame) => {
            if (socket.readyState !== socket.OPEN) return false
            socket.send(encodeFrame(frame))
            return true
          },
        })
      } finally {
        current = undefined
      }
      if (outcome !== 'died') void next()
    }

    socket.on('message', (data, isBinary) => {
      let frame: Record<string, unknown>
      try {
        if (isBinary) throw new RequestRejected(400, 'Binary frames are not read; send JSON text.')
        frame = parseJsonObject(data.toString())
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        log.record('rejected', { connection, message })
        socket.send(JSON.stringify({ error: { message: `${definition.seed}: ${message}` } }))
        return
      }
      if (isCancelFrame(frame)) {
        if (current !== undefined) {
          log.record('cancel-received', { request: current.answer.request, how: 'cancel-frame' })
          current.cancel.abort()
        }
        queue.length = 0
        return
      }
      // The first frame's `sluice` knobs hold for every request of this socket.
      const answer = newRequest(frame, url, 'websocket')
      if (firstFrame) {
        firstFrame = false
        const knobs = field(frame, 'sluice')
        if (typeof knobs === 'object' && knobs !== null)
          url = `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(knobs as Record<string, string>).toString()}`
      }
      queue.push(answer)
      void next()
    })
    socket.on('close', (code) => {
      websockets.delete(socket)
      log.record('connection-closed', { connection, code })
      if (current !== undefined && !current.cancel.signal.aborted) {
        log.record('cancel-received', { request: current.answer.request, how: 'connection-closed' })
        current.cancel.abort()
      }
      queue.length = 0
    })
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const status = error instanceof RequestRejected ? error.status : 500
      const message = error instanceof Error ? error.message : String(error)
      log.record('rejected', { path: request.url, status, message })
      if (!response.headersSent)
        sendJson(response, status, { error: { message: `${definition.seed}: ${message}` } })
      else response.destroy()
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  const websocketServer = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 })
  server.on('upgrade', (request, socket, head) => {
    const url = request.url ?? '/'
    if (!definition.websocket || new URL(url, 'http://127.0.0.1').pathname !== '/ws') {
      socket.destroy()
      return
    }
    websocketServer.handleUpgrade(request, socket, head, (websocket) => serveSocket(websocket, url))
  })

  let port = options.port ?? 0
  async function listen(): Promise<void> {
    server.listen(port, host)
    await once(server, 'listening')
    port = (server.address() as AddressInfo).port
    log.record('listening', { port })
  }
  function dropConnections(): void {
    for (const websocket of websockets) websocket.terminate()
    for (const socket of sockets) socket.destroy()
  }
  async function stop(): Promise<void> {
    if (!server.listening) return
    const closed = new Promise((resolve) => server.close(resolve))
    dropConnections()
    await closed
  }
  await listen()

  return {
    seed: definition.seed,
    get port() {
      return port
    },
    get httpUrl() {
      return `http://${host}:${port}`
    },
    get websocketUrl() {
      return `ws://${host}:${port}`
    },
    log,
    setBehaviour(source) {
      serverBehaviour = resolveBehaviour(serverBehaviour, [source])
    },
    dropConnections() {
      log.record('died', { connections: sockets.size })
      dropConnections()
    },
    stop,
    restart: listen,
    async close() {
      await stop()
      websocketServer.close()
    },
  }
}
