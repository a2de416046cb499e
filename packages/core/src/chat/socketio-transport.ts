/**
 * A transport over Socket.IO, through the official `socket.io-client` (an optional peer
 * dependency of `@sluice/core`, loaded by dynamic import on the first request). Socket.IO
 * events become the protocol's frames: `socket.on('message_stream', data)` is the
 * `message-events` frame `{"type":"message_stream","data":data}`, as in seed 004's client. The
 * routing, stops, timeouts and liveness are the WebSocket transport's (see
 * `websocket-transport.ts`).
 *
 * @example
 * ```ts
 * const chat = createChat({ api: 'http://localhost:8000', protocol: 'message-events', transport: 'socketio' })
 * ```
 * @module
 */
import type { Protocol } from '../protocol.ts'
import { ChatRequestError } from './transport.ts'
import {
  createFrameSocketTransport,
  type FrameConnection,
  type FrameConnector,
  type SocketTransport,
  type SocketTransportOptions,
} from './websocket-transport.ts'

/** The parts of a `socket.io-client` `Socket` this transport uses. */
export interface SocketIoSocketLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown
  onAny(listener: (event: string, ...args: unknown[]) => void): unknown
  emit(event: string, ...args: unknown[]): unknown
  disconnect(): unknown
}

/** `io` from `socket.io-client`, or anything that makes a socket the same way. */
export type SocketIoFactory = (url: string, options?: Record<string, unknown>) => SocketIoSocketLike

/** Options for {@link createSocketIoTransport}. */
export interface SocketIoTransportOptions extends SocketTransportOptions {
  /** `io` from `socket.io-client`; imported on the first request unless given. */
  io?: SocketIoFactory
  /**
   * Options for `io(url, options)` (`path`, `auth`, `transports`, `extraHeaders`, …). The
   * transport manages reconnects itself, so `reconnection` is `false` and `forceNew` `true`
   * unless set here.
   */
  socketOptions?: Record<string, unknown>
  /** Only these Socket.IO events are read as frames. Default: every event. */
  eventNames?: readonly string[]
  /**
   * Turn one Socket.IO event into the protocol's frame text (`undefined`: not a frame). Default:
   * for `message-events`, `{"type": event, "data": payload}`; for other protocols, the payload
   * itself (an object as JSON, a string as is).
   */
  frameFromEvent?: (event: string, args: readonly unknown[], protocol: Protocol) => string | undefined
  /**
   * Turn a frame the transport sends (the request, the cancel frame, a heartbeat) into a
   * Socket.IO event and its payload. Default: a frame with a string `type` is emitted as that
   * event with the other fields as payload (`{type: 'stream_cancel', message_id}` →
   * `emit('stream_cancel', {message_id})`); anything else as `message`.
   */
  eventFromFrame?: (frame: unknown) => [event: string, payload: unknown]
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The default frame of a Socket.IO event. The `message-events` decoder reads the
 * `{type, data}` envelope; the other protocols' payloads are their frames already.
 *
 * @example
 * ```ts
 * defaultFrameFromEvent('message_stream', [{ message_id: 'm1', chunk: 'Hi' }], protocols['message-events'])
 * // '{"type":"message_stream","data":{"message_id":"m1","chunk":"Hi"}}'
 * ```
 */
export function defaultFrameFromEvent(
  event: string,
  args: readonly unknown[],
  protocol: Protocol,
): string | undefined {
  let payload = args[0]
  if (typeof payload === 'string' && protocol.id === 'message-events') {
    try {
      payload = JSON.parse(payload) as unknown
    } catch {
      return undefined
    }
  }
  if (protocol.id === 'message-events') {
    return JSON.stringify(isRecord(payload) ? { type: event, data: payload } : { type: event })
  }
  if (typeof payload === 'string') return payload
  if (payload === undefined) return undefined
  return JSON.stringify(payload)
}

/**
 * The default Socket.IO event of a frame the transport sends.
 *
 * @example
 * ```ts
 * defaultEventFromFrame('{"type":"stream_cancel","message_id":"m1"}') // ['stream_cancel', { message_id: 'm1' }]
 * ```
 */
export function defaultEventFromFrame(frame: unknown): [event: string, payload: unknown] {
  let value = frame
  if (typeof frame === 'string') {
    try {
      value = JSON.parse(frame) as unknown
    } catch {
      return ['message', frame]
    }
  }
  if (isRecord(value) && typeof value.type === 'string') {
    const { type, ...rest } = value
    return [type, rest]
  }
  return ['message', value]
}

/**
 * The peer dependency's name, kept out of the import expression on purpose: a bundler that saw
 * `import('socket.io-client')` would fail the build of every app that does not install it. In a
 * bundled browser app, pass `io` (importing it is what makes the bundler include it).
 */
const socketIoClientModule = 'socket.io-client'

async function importSocketIo(): Promise<SocketIoFactory> {
  let loaded: { io?: unknown; default?: { io?: unknown } }
  try {
    loaded = (await import(
      /* @vite-ignore */ /* webpackIgnore: true */ socketIoClientModule
    )) as typeof loaded
  } catch (cause) {
    throw new ChatRequestError(
      'network',
      {
        message:
          'The socketio transport needs the "socket.io-client" package, which could not be loaded. Install it (`npm install socket.io-client`: an optional peer dependency of @sluice/core) and, in a bundled browser app, pass its `io`: createChat({ transport: \'socketio\', socketio: { io } }) or createSocketIoTransport({ io }).',
        code: 'socket-io-client-missing',
      },
      { cause },
    )
  }
  const io = loaded.io ?? loaded.default?.io
  if (typeof io !== 'function') {
    throw new ChatRequestError('network', {
      message:
        'The "socket.io-client" module that loaded has no `io` function. Pass it as createSocketIoTransport({ io }).',
      code: 'socket-io-client-missing',
    })
  }
  return io as SocketIoFactory
}

/**
 * Create a Socket.IO transport. `api` is the Socket.IO server URL (with the namespace as its
 * path, `http://localhost:8000/chat`); one socket carries every request of the chats that
 * share the transport, and opens on the first request.
 *
 * A stop emits the protocol's cancel event where it has one (`message-events`:
 * `stream_cancel` with `{message_id}`), otherwise disconnects the socket. A disconnect the
 * server did not announce (`transport close`, `ping timeout`) ends the answer `interrupted`
 * at once, its text kept. Socket.IO's own heartbeat (the server's `pingInterval` +
 * `pingTimeout`, 45 s by default) also catches a silent drop; `heartbeat` catches it sooner.
 *
 * @example
 * ```ts
 * import { io } from 'socket.io-client'
 * const transport = createSocketIoTransport({ io, socketOptions: { path: '/ws/socket.io' }, idleTimeout: 30_000 })
 * const chat = createChat({ api: 'https://example.com/chat', protocol: 'message-events', transport })
 * ```
 */
export function createSocketIoTransport(options: SocketIoTransportOptions = {}): SocketTransport {
  let factory = options.io
  let protocol: Protocol | undefined
  const eventFromFrame = options.eventFromFrame ?? defaultEventFromFrame
  const frameFromEvent = options.frameFromEvent ?? defaultFrameFromEvent
  const eventNames = options.eventNames ? new Set(options.eventNames) : undefined

  const connector: FrameConnector = async (url, handlers) => {
    factory ??= await importSocketIo()
    const io = factory
    return new Promise<FrameConnection>((resolve, reject) => {
      const socket = io(url, { reconnection: false, forceNew: true, ...options.socketOptions })
      let state: 'opening' | 'open' | 'closed' = 'opening'
      socket.on('connect', () => {
        if (state !== 'opening') return
        state = 'open'
        resolve({
          send(frame) {
            const [event, payload] = eventFromFrame(frame)
            socket.emit(event, payload)
          },
          close() {
            state = 'closed'
            socket.disconnect()
          },
        })
      })
      socket.on('connect_error', (error) => {
        if (state !== 'opening') return
        state = 'closed'
        socket.disconnect()
        reject(
          new ChatRequestError('network', {
            message: `Could not connect to ${url} through Socket.IO: ${(error as Error)?.message ?? String(error)}. Check the URL (and the \`path\` socket option) and that a Socket.IO server runs there.`,
          }),
        )
      })
      socket.on('disconnect', (reason) => {
        if (state !== 'open') return
        state = 'closed'
        handlers.close({ reason: `Socket.IO disconnect: ${String(reason)}` })
      })
      socket.onAny((event, ...args) => {
        if (state !== 'open' || protocol === undefined) return
        if (eventNames && !eventNames.has(event)) return
        const frame = frameFromEvent(event, args, protocol)
        if (frame !== undefined) handlers.frame(frame)
      })
    })
  }

  const transport = createFrameSocketTransport(connector, options, 'Socket.IO')
  return {
    keepsMessageIds: true,
    get connected() {
      return transport.connected
    },
    request(request) {
      protocol = request.protocol
      return transport.request(request)
    },
    subscribe: (listener) => transport.subscribe!(listener),
    close: () => transport.close!(),
  }
}
