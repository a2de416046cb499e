/**
 * A transport over one WebSocket that carries many messages keyed by id (the
 * `message-events` protocol, or any protocol whose frames name their message). The socket is
 * opened on the first request, shared by every request, and reopened with backoff when it
 * drops; a message that was streaming when it dropped keeps its content, and redelivered
 * frames are ignored by sequence number.
 *
 * @example
 * ```ts
 * const transport = createWebSocketTransport({
 *   cancelFrame: (messageId) => ({ type: 'stream_cancel', message_id: messageId }),
 * })
 * const chat = createChat({ api: 'wss://example.com/chat', protocol: 'message-events', transport })
 * ```
 * @module
 */
import type { ChatEvent } from '../events.ts'
import type { Protocol, ProtocolDecoder } from '../protocol.ts'
import { createPushQueue, type PushQueue } from './push-queue.ts'
import { type RetryOptions, retryDelay } from './retry-policy.ts'
import { ChatRequestError, type Transport, type TransportRequest } from './transport.ts'

/** The parts of the WebSocket API this transport uses (the DOM's, `ws`, a mock). */
export interface WebSocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  addEventListener(
    type: 'open' | 'close' | 'error' | 'message',
    listener: (event: { data?: unknown }) => void,
  ): void
}

/** A WebSocket constructor. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike

/** Options for {@link createWebSocketTransport}. */
export interface WebSocketTransportOptions {
  /** The constructor; `globalThis.WebSocket` at connect time unless given. */
  WebSocket?: WebSocketConstructor
  /** WebSocket subprotocols. */
  protocols?: string | string[]
  /**
   * The frame sent for a request. Default: `{"type":"message","message_id":<placeholder id>,
   * "trigger":…, ...body}` where `body` is the controller's request body (`{messages}` plus
   * the `body` option).
   */
  encodeRequest?: (request: TransportRequest) => unknown
  /** The frame sent when the user stops a message, e.g. `{type: 'stream_cancel', message_id}`. None by default. */
  cancelFrame?: (messageId: string) => unknown
  /** Reconnect backoff; `false` never reconnects. Default 5 attempts, 500 ms doubling to 10 s. */
  reconnect?: RetryOptions | false
  /** The most frames held while the page is busy; default 10,000. */
  maxQueueSize?: number
  /**
   * After a reconnect, how long an answer that was streaming waits for the server to continue
   * or redeliver it before it ends `interrupted` (milliseconds). Default 15,000.
   */
  redeliveryTimeout?: number
}

const socketOpen = 1

interface ActiveRequest {
  request: TransportRequest
  queue: PushQueue<ChatEvent>
  /** The wire ids this request owns: the placeholder, then the server's id once it names one. */
  messageIds: Set<string>
  /** True once the server sent anything for this request. */
  started: boolean
  /** Running while a streaming answer waits for the server after a reconnect. */
  redeliveryTimer?: ReturnType<typeof setTimeout>
}

function encodeFrame(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/**
 * Create a WebSocket transport. `api` is the socket URL (`ws:` or `wss:`).
 *
 * Frames that belong to no request (messages the server pushes on its own) reach the
 * controller through `subscribe`, which applies them to the store with the wire's ids.
 *
 * @example
 * ```ts
 * createChat({ api: 'ws://localhost:8080/chat', protocol: 'message-events', transport: 'websocket' })
 * ```
 */
export function createWebSocketTransport(options: WebSocketTransportOptions = {}): Transport & {
  /** The socket state, for a connection indicator. */
  readonly connected: boolean
} {
  const reconnect =
    options.reconnect === undefined ? { attempts: 5, baseDelay: 500, maxDelay: 10_000 } : options.reconnect
  const active = new Set<ActiveRequest>()
  const owners = new Map<string, ActiveRequest>()
  const listeners = new Set<(event: ChatEvent) => void>()
  let socket: WebSocketLike | undefined
  let url: string | undefined
  let protocol: Protocol | undefined
  let decoder: ProtocolDecoder | undefined
  let opened: Promise<void> | undefined
  let reconnectAttempt = 0
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined
  let closed = false
  let connectedBefore = false
  const redeliveryTimeout = options.redeliveryTimeout ?? 15_000

  function release(entry: ActiveRequest): void {
    if (entry.redeliveryTimer !== undefined) clearTimeout(entry.redeliveryTimer)
    active.delete(entry)
    for (const id of entry.messageIds) if (owners.get(id) === entry) owners.delete(id)
  }

  function route(event: ChatEvent): void {
    let owner = owners.get(event.messageId)
    if (
      owner === undefined &&
      !(event.type === 'message-start' && event.role !== undefined && event.role !== 'assistant')
    ) {
      // The server named its answer with its own id: the oldest request still waiting for an
      // answer adopts it (requests on one socket are answered in order).
      for (const entry of active) {
        if (!entry.started) {
          owner = entry
          entry.messageIds.add(event.messageId)
          owners.set(event.messageId, entry)
          break
        }
      }
    }
    if (owner === undefined) {
      for (const listener of listeners) listener(event)
      return
    }
    owner.started = true
    if (owner.redeliveryTimer !== undefined) {
      clearTimeout(owner.redeliveryTimer)
      delete owner.redeliveryTimer
    }
    owner.request.observer.byte()
    owner.queue.push(event)
    if (event.type === 'message-end' || event.type === 'message-error' || event.type === 'message-abort') {
      owner.queue.end()
      release(owner)
    }
  }

  function onMessage(data: unknown): void {
    if (decoder === undefined) return
    const text =
      typeof data === 'string'
        ? data
        : data instanceof ArrayBuffer
          ? new TextDecoder().decode(data)
          : undefined
    if (text === undefined) return
    for (const event of decoder.decode({ data: text })) route(event)
  }

  function failAll(error: ChatRequestError | ((entry: ActiveRequest) => ChatRequestError | undefined)): void {
    for (const entry of [...active]) {
      const reason = typeof error === 'function' ? error(entry) : error
      if (reason === undefined) continue
      entry.queue.fail(reason)
      release(entry)
    }
  }

  function connect(): Promise<void> {
    if (opened) return opened
    const WebSocketClass = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
    if (WebSocketClass === undefined) {
      return Promise.reject(
        new ChatRequestError('network', {
          message:
            'There is no WebSocket in this environment. Pass one as createWebSocketTransport({ WebSocket }) (for example from the "ws" package).',
        }),
      )
    }
    const target = url!
    opened = new Promise<void>((resolve, reject) => {
      const current = new WebSocketClass(target, options.protocols)
      socket = current
      let isOpen = false
      current.addEventListener('open', () => {
        isOpen = true
        reconnectAttempt = 0
        // After a reconnect, an answer that was streaming depends on the server continuing or
        // redelivering it; if it never does, the answer must not stay `streaming` forever.
        if (connectedBefore) {
          for (const entry of active) {
            if (!entry.started || entry.redeliveryTimer !== undefined) continue
            entry.redeliveryTimer = setTimeout(() => {
              entry.queue.fail(
                new ChatRequestError('interrupted', {
                  message: `The connection to ${target} was re-established, but the server did not continue the answer within ${redeliveryTimeout} ms. Retry to ask again.`,
                }),
              )
              release(entry)
            }, redeliveryTimeout)
          }
        }
        connectedBefore = true
        resolve()
      })
      current.addEventListener('message', (event) => {
        if (socket === current) onMessage(event.data)
      })
      current.addEventListener('close', () => {
        if (socket !== current) return
        socket = undefined
        opened = undefined
        if (!isOpen) {
          reject(
            new ChatRequestError('network', {
              message: `Could not connect to ${target}. Check the URL and that the server accepts WebSocket connections.`,
            }),
          )
        }
        // A request the server never answered may not have reached it: fail it (the controller
        // retries it if allowed). A request that was streaming waits for the reconnect, after
        // which the server can redeliver.
        failAll((entry) =>
          entry.started
            ? undefined
            : new ChatRequestError('network', {
                message: `The connection to ${target} closed before the server answered.`,
              }),
        )
        scheduleReconnect()
      })
    })
    return opened
  }

  function scheduleReconnect(): void {
    if (closed || active.size === 0) return
    if (reconnect === false || reconnectAttempt >= reconnect.attempts) {
      failAll(
        new ChatRequestError('interrupted', {
          message: `The connection to ${url} was lost and could not be re-established${reconnect === false ? '' : ` after ${reconnectAttempt} attempts`}.`,
        }),
      )
      return
    }
    reconnectAttempt++
    reconnectTimer = setTimeout(
      () => {
        reconnectTimer = undefined
        connect().catch(() => {
          // `close` follows and schedules the next attempt.
        })
      },
      retryDelay(reconnect, reconnectAttempt),
    )
  }

  return {
    keepsMessageIds: true,
    get connected() {
      return socket?.readyState === socketOpen
    },
    async *request(request) {
      if (url !== undefined && url !== request.api) {
        throw new ChatRequestError('network', {
          message: `This WebSocket transport is connected to ${url} and cannot also serve ${request.api}. Create one transport per socket URL.`,
        })
      }
      url = request.api
      if (protocol !== request.protocol) {
        protocol = request.protocol
        decoder = request.protocol.createDecoder()
      }
      closed = false
      const entry: ActiveRequest = {
        request,
        queue: createPushQueue<ChatEvent>(options.maxQueueSize ?? 10_000),
        messageIds: new Set([request.messageId]),
        started: false,
      }
      active.add(entry)
      owners.set(request.messageId, entry)
      const onAbort = () => {
        for (const id of entry.messageIds) {
          if (options.cancelFrame && socket?.readyState === socketOpen) {
            // Cancel the id the server knows: its own once it named one, else ours.
            if (id !== request.messageId || entry.messageIds.size === 1)
              socket.send(encodeFrame(options.cancelFrame(id)))
          }
        }
        entry.queue.end()
        release(entry)
      }
      request.signal.addEventListener('abort', onAbort, { once: true })
      try {
        await connect()
        if (request.signal.aborted) return
        const frame = options.encodeRequest
          ? options.encodeRequest(request)
          : { type: 'message', message_id: request.messageId, trigger: request.trigger, ...request.body }
        socket!.send(encodeFrame(frame))
        yield* entry.queue
      } finally {
        request.signal.removeEventListener('abort', onAbort)
        release(entry)
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      closed = true
      if (reconnectTimer !== undefined) clearTimeout(reconnectTimer)
      failAll(
        new ChatRequestError('interrupted', { message: `The connection to ${url} was closed by the app.` }),
      )
      const current = socket
      socket = undefined
      opened = undefined
      current?.close(1000, 'closed by the app')
    },
  }
}
