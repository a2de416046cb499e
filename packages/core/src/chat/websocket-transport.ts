/**
 * Transports over one long-lived socket that carries many answers: `websocket` (the WebSocket
 * API of browsers, `ws`, undici) and, through the same core, `socketio` (see
 * `socketio-transport.ts`).
 *
 * What the core guarantees, whatever the protocol:
 *
 * - **A decoder per answer** for protocols whose frames name no message (`agent-events`,
 *   `stream-chunk`, `stream-delta`, and every protocol but `message-events`): answers are
 *   delimited by their terminal events and read in the order they were asked for, any number of
 *   them per socket. Protocols whose frames name their message (`message-events`) share one
 *   decoder per connection, which tracks every message by id.
 * - **Nothing of a stopped, older or interrupted answer reaches a newer one**: the ids of ended
 *   answers are retired (their late frames and cancel acknowledgements are dropped), a stopped
 *   answer of an id-less protocol keeps the socket until its own terminal event (or the socket is
 *   replaced), and after a reconnect only ids never seen before are adopted by a new answer.
 * - **An answer is a message announced after its request** (`message-id` routing): the oldest
 *   waiting request adopts the next placeholder announced on its socket, and, on a server that
 *   broadcasts user messages (seed 004's channel), only once the echo of its own message came.
 *   Frames of a message this socket never saw announced (another client's answer already
 *   streaming) are dropped, never adopted.
 * - **A stop always reaches the server**: the protocol's cancel frame where it has one
 *   (`message-events`: `stream_cancel`), otherwise the socket is closed, the one signal every
 *   server sees (`cancel` chooses).
 * - **A dropped connection ends the answer `interrupted` at once**, its text kept (unless the
 *   server is known to redeliver: `redeliveryTimeout`); a silent one is caught by `heartbeat`
 *   and by `idleTimeout`.
 *
 * @example
 * ```ts
 * const transport = createWebSocketTransport({ idleTimeout: 20_000, heartbeat: { timeout: 2000 } })
 * const chat = createChat({ api: 'wss://example.com/chat', protocol: 'agent-events', transport })
 * ```
 * @module
 */
import type { ChatEvent } from '../events.ts'
import { isTerminalEvent } from '../events.ts'
import { createFramer } from '../framing/create-framer.ts'
import type { Framer } from '../framing/framer.ts'
import type { InlineTagTransform } from '../inline-tags.ts'
import { messageText } from '../message.ts'
import type { Frame, Framing, Protocol, ProtocolDecoder } from '../protocol.ts'
import { encodeCancelFrame } from '../protocols/message-events/decode.ts'
import { createPushQueue, type PushQueue } from './push-queue.ts'
import { type RetryOptions, retryDelay } from './retry-policy.ts'
import { ChatRequestError, type Transport, type TransportRequest } from './transport.ts'

/** The parts of the WebSocket API this transport uses (the DOM's, `ws`, undici's, a mock). */
export interface WebSocketLike {
  readonly readyState: number
  /** Set to `'arraybuffer'` when present, so binary frames can be read synchronously. */
  binaryType?: string
  send(data: string): void
  close(code?: number, reason?: string): void
  addEventListener(
    type: 'open' | 'close' | 'error' | 'message',
    listener: (event: { data?: unknown; code?: number; reason?: string; wasClean?: boolean }) => void,
  ): void
}

/** A WebSocket constructor. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike

/**
 * How answers are told apart on one socket: `message-id` (every frame names its message; one
 * decoder per connection, answers adopted by id) or `in-order` (frames name nothing; one decoder
 * per answer, answers delimited by their terminal events, in the order they were asked for).
 */
export type SocketRouting = 'message-id' | 'in-order'

/**
 * How a stop reaches the server: `frame` sends the cancel frame on the open socket, `close`
 * closes the socket (the server sees the connection end; other answers on it end too).
 */
export type SocketCancel = 'frame' | 'close'

/** Liveness checks on an open socket while an answer is in flight. */
export interface SocketHeartbeatOptions {
  /**
   * The longest time without any frame from the server, in milliseconds, while an answer is in
   * flight. Past it the connection is taken for dead (a server gone without closing, a network
   * that dropped silently): the socket is closed and the answer ends `interrupted`, its text kept.
   */
  timeout: number
  /** How often `frame` is sent, in milliseconds. Default: a third of `timeout`. */
  interval?: number
  /**
   * The frame to send every `interval` (an application-level ping that the server answers, since
   * browsers cannot send WebSocket pings). Without it, the server's own keep-alive frames (or
   * tokens) are what keeps the connection alive.
   */
  frame?: () => unknown
}

/** Options shared by the socket transports (`websocket`, `socketio`). */
export interface SocketTransportOptions {
  /**
   * The frame sent for a request. Default: `{"type":"message","message_id":<placeholder id>,
   * "trigger":…, ...body}` where `body` is the controller's request body (`{messages}` plus
   * the `body` option).
   */
  encodeRequest?: (request: TransportRequest) => unknown
  /**
   * How a stop reaches the server. Default: `frame` when there is a cancel frame (`cancelFrame`,
   * or the protocol's own: `message-events` sends `stream_cancel`), otherwise `close`.
   */
  cancel?: SocketCancel
  /**
   * The frame that tells the server to stop one answer, given the id the server knows it by
   * (its own once it named one, else the placeholder id sent in the request).
   */
  cancelFrame?: (messageId: string) => unknown
  /**
   * With `cancel: 'frame'` on an id-less protocol: how long a stopped answer may go on sending
   * (until its terminal event: the server's acknowledgement) before the socket is closed, so that
   * nothing of it can reach the next answer; the next request is sent after it. Milliseconds,
   * default 2,000.
   */
  cancelTimeout?: number
  /** How answers are told apart. Default: `message-id` for `message-events`, `in-order` otherwise. */
  routing?: SocketRouting
  /**
   * How long an answer may take to send its first frame, in milliseconds (default 60,000). Past
   * it the answer ends `interrupted` and the server is told to stop. The chat's own
   * `firstByteTimeout` wins.
   */
  firstByteTimeout?: number
  /**
   * The longest silence between two frames of an answer that began, in milliseconds (default
   * 60,000). Past it the answer ends `interrupted`, its text kept, and the server is told to stop.
   * The chat's own `idleTimeout` wins.
   */
  idleTimeout?: number
  /** Liveness checks while an answer is in flight; off by default (see {@link SocketHeartbeatOptions}). */
  heartbeat?: SocketHeartbeatOptions | false
  /**
   * Reconnect backoff, used while an answer waits for the server to redeliver it after a drop
   * (`redeliveryTimeout`). Default 5 attempts, 500 ms doubling to 10 s. Without redelivery, the
   * next request opens a new socket.
   */
  reconnect?: RetryOptions | false
  /**
   * For servers that continue or redeliver an answer on a new connection (`message-id` routing
   * only): how long, in milliseconds, an answer that was streaming when the socket dropped waits
   * for it before it ends `interrupted`. Default 0: it ends `interrupted` at once.
   */
  redeliveryTimeout?: number
  /** The most events held for an answer while the page is busy; default 10,000. */
  maxQueueSize?: number
  /** The longest frame accepted, in characters (default 8 MiB); a longer one fails its answer. */
  maxFrameSize?: number
}

/** Options for {@link createWebSocketTransport}. */
export interface WebSocketTransportOptions extends SocketTransportOptions {
  /** The constructor; `globalThis.WebSocket` at connect time unless given. */
  WebSocket?: WebSocketConstructor
  /** WebSocket subprotocols. */
  protocols?: string | string[]
}

/** One open connection, as the socket core sees it (a WebSocket, a Socket.IO socket). */
export interface FrameConnection {
  /** Send one frame: a string as is, anything else the connection's to serialise. */
  send(frame: unknown): void
  /** Close the connection; no `close` handler call is expected after this. */
  close(code: number, reason: string): void
}

/** What a connection reports to the socket core once it is open. */
export interface FrameConnectionHandlers {
  /** One message from the server (a string, an `ArrayBuffer` or a byte view). */
  frame(data: unknown): void
  /** The connection ended by itself (the server closed it, or it dropped). */
  close(detail: { code?: number; reason?: string }): void
}

/**
 * Opens a connection to `url`; resolves once it is open, rejects (with a
 * {@link ChatRequestError} of kind `network`) when it cannot be opened.
 */
export type FrameConnector = (url: string, handlers: FrameConnectionHandlers) => Promise<FrameConnection>

/** The socket transports' extra state. */
export interface SocketTransport extends Transport {
  /** Whether the socket is open, for a connection indicator. */
  readonly connected: boolean
}

const defaultFirstByteTimeout = 60_000
const defaultIdleTimeout = 60_000
const defaultCancelTimeout = 2000
const defaultMaxFrameSize = 8 * 1024 * 1024
/** How many ended message ids are remembered (their late frames are dropped). */
const rememberedRetiredIds = 4096
/** The close code sent when the client closes to stop an answer or a dead connection (4000–4999: the application's). */
const clientCloseCode = 4000

type AnswerPhase = 'queued' | 'sent' | 'streaming' | 'draining' | 'waiting-redelivery' | 'done'

/** One socket connection's life. */
interface Connection {
  socket: FrameConnection | undefined
  /** False once it closed (by either side); its late frames are ignored. */
  open: boolean
  /** `message-id` routing: the decoder for every message on this connection. */
  decoder: ProtocolDecoder | undefined
  framer: Framer | undefined
  lastFrameAt: number
  lastHeartbeatAt: number
  heartbeatTimer: ReturnType<typeof setInterval> | undefined
}

/** One request and its answer. */
interface Answer {
  request: TransportRequest
  queue: PushQueue<ChatEvent>
  phase: AnswerPhase
  connection: Connection | undefined
  /** `in-order` routing: this answer's own decoder and framer. */
  decoder: ProtocolDecoder | undefined
  framer: Framer | undefined
  inlineTags: InlineTagTransform | undefined
  /** `message-id` routing: the wire ids this answer owns (the placeholder, then the server's). */
  messageIds: Set<string>
  /** `message-id` routing: true once the server named the answer (its first frame). */
  adopted: boolean
  /** `message-id` routing: true once the server broadcast this request's user message back. */
  echoed: boolean
  timer: ReturnType<typeof setTimeout> | undefined
}

let inlineTagsModule: typeof import('../inline-tags.ts') | undefined

function closeDescription(detail: { code?: number; reason?: string }): string {
  const code = detail.code
  const reason = detail.reason ? `, "${detail.reason}"` : ''
  if (code === undefined) return detail.reason ? `"${detail.reason}"` : 'the connection dropped'
  if (code === 1006) return `code 1006${reason}: no close frame, the server went away or the network dropped`
  if (code === 1000) return `code 1000${reason}: the server closed it`
  return `code ${code}${reason}`
}

function frameText(data: unknown, decoder: TextDecoder): string | undefined {
  if (typeof data === 'string') return data
  if (data instanceof ArrayBuffer) return decoder.decode(data)
  if (ArrayBuffer.isView(data)) return decoder.decode(data)
  return undefined
}

/** The protocol's own cancel frame, when it has one. */
function protocolCancelFrame(protocol: Protocol): ((messageId: string) => unknown) | undefined {
  return protocol.id === 'message-events' ? encodeCancelFrame : undefined
}

/**
 * The socket core behind {@link createWebSocketTransport} and `createSocketIoTransport`: routing,
 * per-answer decoders, stops, timeouts, liveness and reconnects over any {@link FrameConnector}.
 * Use it to run Sluice's answers over another message socket.
 *
 * @example
 * ```ts
 * const transport = createFrameSocketTransport(
 *   async (url, handlers) => {
 *     const channel = await openMyChannel(url)
 *     channel.onMessage = (text) => handlers.frame(text)
 *     channel.onEnd = () => handlers.close({})
 *     return { send: (frame) => channel.write(typeof frame === 'string' ? frame : JSON.stringify(frame)), close: () => channel.end() }
 *   },
 *   { idleTimeout: 30_000 },
 *   'my channel',
 * )
 * ```
 */
export function createFrameSocketTransport(
  connector: FrameConnector,
  options: SocketTransportOptions = {},
  /** How messages name the socket ("WebSocket", "Socket.IO"). */
  socketName = 'socket',
): SocketTransport {
  const reconnect =
    options.reconnect === undefined ? { attempts: 5, baseDelay: 500, maxDelay: 10_000 } : options.reconnect
  const redeliveryTimeout = options.redeliveryTimeout ?? 0
  const cancelTimeout = options.cancelTimeout ?? defaultCancelTimeout
  const maxFrameSize = options.maxFrameSize ?? defaultMaxFrameSize
  const heartbeat = options.heartbeat === false ? undefined : options.heartbeat
  const textDecoder = new TextDecoder()
  /** Every answer not yet done, in the order it was asked for. */
  const answers: Answer[] = []
  /** `message-id` routing: which answer owns a wire id. */
  const owners = new Map<string, Answer>()
  /**
   * `message-id` routing: ids of ended answers (oldest first) and what their later frames do:
   * `drop` for an answer the client ended (stopped, timed out, lost: nothing more is applied to
   * it), `push` for one the server ended (a final version after it, such as seed 004's
   * `message_update` after `is_final`, is applied to that message by its own id). Neither is
   * ever adopted by a newer answer. Messages that were never any request's (another client's
   * answer, a message the server pushed) are kept here too, so their later frames go the same way.
   */
  const retired = new Map<string, 'drop' | 'push'>()
  /**
   * `message-id` routing: true once the server broadcast a user's whole message (seed 004's
   * channel sends every user message to every client before the agent's placeholder). From then
   * on an answer is adopted only after its own echo: a placeholder that comes while no echoed
   * request waits answers another client's message.
   */
  let serverEchoes = false
  const listeners = new Set<(event: ChatEvent) => void>()
  let current: Connection | undefined
  let opening: Promise<Connection> | undefined
  let url: string | undefined
  let protocol: Protocol | undefined
  let routing: SocketRouting = 'in-order'
  let framing: Framing = 'frames'
  let reconnectAttempt = 0
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined
  let closedByApp = false

  function retire(id: string, later: 'drop' | 'push'): void {
    owners.delete(id)
    retired.delete(id)
    retired.set(id, later)
    if (retired.size > rememberedRetiredIds) {
      const oldest = retired.keys().next().value
      if (oldest !== undefined) retired.delete(oldest)
    }
  }

  function clearTimer(answer: Answer): void {
    if (answer.timer !== undefined) clearTimeout(answer.timer)
    answer.timer = undefined
  }

  function setTimer(answer: Answer, ms: number, action: () => void): void {
    clearTimer(answer)
    answer.timer = setTimeout(() => {
      answer.timer = undefined
      action()
    }, ms)
  }

  /**
   * Take the answer out of every table; its queue is left to the caller. `endedBy: 'server'`
   * when the server's own terminal event ended it.
   */
  function release(answer: Answer, endedBy: 'client' | 'server' = 'client'): void {
    if (answer.phase === 'done') return
    answer.phase = 'done'
    clearTimer(answer)
    const index = answers.indexOf(answer)
    if (index >= 0) answers.splice(index, 1)
    for (const id of answer.messageIds) retire(id, endedBy === 'server' ? 'push' : 'drop')
    // In order, the next answer's wait for its first frame starts when its turn comes.
    const connection = answer.connection
    if (routing === 'in-order' && connection?.open) {
      const head = headOf(connection)
      if (head?.phase === 'sent' && head.timer === undefined) watch(head)
    }
    sendHeld()
  }

  function timeoutFor(answer: Answer, kind: 'firstByteTimeout' | 'idleTimeout'): number {
    return (
      answer.request[kind] ??
      options[kind] ??
      (kind === 'firstByteTimeout' ? defaultFirstByteTimeout : defaultIdleTimeout)
    )
  }

  /** (Re)start the answer's silence timer: first byte before its first frame, idle after. */
  function watch(answer: Answer): void {
    const kind = answer.phase === 'streaming' ? 'idleTimeout' : 'firstByteTimeout'
    const ms = timeoutFor(answer, kind)
    if (!(ms > 0 && Number.isFinite(ms))) {
      clearTimer(answer)
      return
    }
    setTimer(answer, ms, () => {
      const what =
        kind === 'idleTimeout'
          ? `No part of the answer arrived for ${ms} ms (idleTimeout)`
          : `The server sent nothing for ${ms} ms after the request (firstByteTimeout)`
      abandon(
        answer,
        new ChatRequestError('interrupted', {
          message: `${what} on the ${socketName} connection to ${url}. The text so far is kept; retry to ask again, or raise ${kind} for a backend that pauses longer.`,
          code: kind === 'idleTimeout' ? 'idle-timeout' : 'first-byte-timeout',
        }),
      )
    })
  }

  /** In `in-order` routing: the answer the next frame of `connection` belongs to. */
  function headOf(connection: Connection): Answer | undefined {
    for (const answer of answers) {
      if (answer.connection !== connection) continue
      if (answer.phase === 'sent' || answer.phase === 'streaming' || answer.phase === 'draining')
        return answer
    }
    return undefined
  }

  function inFlight(connection: Connection): boolean {
    return answers.some(
      (answer) =>
        answer.connection === connection &&
        (answer.phase === 'sent' || answer.phase === 'streaming' || answer.phase === 'draining'),
    )
  }

  function cancelMode(): SocketCancel {
    if (options.cancel !== undefined) return options.cancel
    return options.cancelFrame !== undefined || (protocol && protocolCancelFrame(protocol))
      ? 'frame'
      : 'close'
  }

  function sendCancelFrame(answer: Answer): void {
    const encode = options.cancelFrame ?? (protocol ? protocolCancelFrame(protocol) : undefined)
    const connection = answer.connection
    if (encode === undefined || connection?.socket === undefined || !connection.open) return
    const ids =
      routing === 'message-id' && answer.adopted
        ? [...answer.messageIds].filter((id) => id !== answer.request.messageId)
        : [answer.request.messageId]
    for (const id of ids) {
      try {
        connection.socket.send(encode(id))
      } catch {
        // A socket that closes as the frame goes: its close ends the answer on the server too.
      }
    }
  }

  /**
   * The answer is over for the client (a stop, a timeout, an error it did not send a terminal
   * for): make sure the server stops it and nothing more of it is routed anywhere.
   */
  function stopOnServer(answer: Answer): void {
    const connection = answer.connection
    if (answer.phase === 'queued' || connection === undefined || !connection.open) {
      release(answer)
      return
    }
    if (cancelMode() === 'close') {
      // Closed first, so nothing waiting is sent on the socket that is going away.
      closeConnection(connection, `the ${socketName} was closed to stop an answer`)
      release(answer)
      return
    }
    sendCancelFrame(answer)
    if (routing === 'message-id' && answer.adopted) {
      // Its ids are retired with it: their late frames and the acknowledgement are dropped.
      release(answer)
      return
    }
    // Frames name nothing (or the server has not named this answer yet): until the server ends
    // it, what comes is still this answer's, so it keeps its place and later requests wait.
    answer.phase = 'draining'
    setTimer(answer, cancelTimeout, () => {
      release(answer)
      if (routing === 'in-order') {
        closeConnection(
          connection,
          `The stopped answer did not end within ${cancelTimeout} ms (cancelTimeout); the ${socketName} was closed so nothing of it reaches the next answer.`,
        )
      }
    })
  }

  function abandon(answer: Answer, error: ChatRequestError): void {
    if (answer.phase === 'done' || answer.phase === 'draining') return
    flushInlineTags(answer)
    answer.queue.fail(error)
    stopOnServer(answer)
  }

  function flushInlineTags(answer: Answer): void {
    if (!answer.inlineTags) return
    const events = answer.inlineTags.end()
    answer.inlineTags = undefined
    for (const event of events) answer.queue.push(event)
  }

  /** Hand events to an answer that is reading. */
  function deliver(answer: Answer, events: readonly ChatEvent[]): void {
    if (answer.phase === 'draining') {
      if (events.some(isTerminalEvent)) release(answer)
      return
    }
    if (answer.phase === 'sent' || answer.phase === 'waiting-redelivery') answer.phase = 'streaming'
    let ending: ChatEvent | undefined
    for (const decoded of events) {
      const transformed = answer.inlineTags ? answer.inlineTags.transform(decoded) : [decoded]
      for (const event of transformed) {
        answer.queue.push(event)
        if (isTerminalEvent(event) && answer.messageIds.has(event.messageId)) ending = event
      }
    }
    if (ending === undefined) {
      watch(answer)
      return
    }
    answer.queue.end()
    const connection = answer.connection
    release(answer, 'server')
    // An id-less answer that failed may still be streaming on the server (a malformed frame,
    // a decoder error): a fresh socket for the next answer guarantees none of it gets there.
    if (routing === 'in-order' && ending.type !== 'message-end' && ending.type !== 'message-abort') {
      if (connection) closeConnection(connection, `The ${socketName} was closed after a failed answer.`)
    }
  }

  function decodeSafely(decoder: ProtocolDecoder, frame: Frame, messageId: string): ChatEvent[] {
    try {
      return decoder.decode(frame)
    } catch (error) {
      return [
        {
          type: 'message-error',
          messageId,
          error: {
            message: `The ${protocol?.id ?? 'protocol'} decoder failed on a ${socketName} frame: ${error instanceof Error ? error.message : String(error)}. The text so far is kept.`,
            code: 'decoder-error',
          },
        },
      ]
    }
  }

  function framesOf(framer: Framer | undefined, text: string): Frame[] {
    return framer ? framer.push(text) : [{ data: text }]
  }

  function onFrame(connection: Connection, data: unknown): void {
    if (!connection.open || connection !== current) return
    connection.lastFrameAt = Date.now()
    const text = frameText(data, textDecoder)
    if (text === undefined) return
    if (routing === 'in-order') {
      const head = headOf(connection)
      if (head === undefined) return // no answer is expecting anything: nothing to attribute it to
      head.request.observer.byte()
      if (text.length > maxFrameSize) {
        abandon(head, oversized(text.length))
        return
      }
      let frames: Frame[]
      try {
        frames = framesOf(head.framer, text)
      } catch (error) {
        abandon(head, new ChatRequestError('interrupted', { message: (error as Error).message }))
        return
      }
      const messageId = head.request.messageId
      const events: ChatEvent[] = []
      for (const frame of frames) {
        for (const event of decodeSafely(head.decoder!, frame, messageId)) {
          // Frames name no message: everything is this answer's.
          events.push(event.messageId === messageId ? event : { ...event, messageId })
        }
      }
      if (events.length > 0 || head.phase !== 'draining') deliver(head, events)
      return
    }
    if (text.length > maxFrameSize) {
      for (const answer of [...answers])
        if (answer.connection === connection && answer.phase === 'streaming')
          abandon(answer, oversized(text.length))
      return
    }
    let frames: Frame[]
    try {
      frames = framesOf(connection.framer, text)
    } catch {
      return
    }
    for (const frame of frames) {
      let events: ChatEvent[]
      try {
        events = connection.decoder!.decode(frame)
      } catch (error) {
        // A decoder failure names no message: it ends every answer streaming here.
        const reason = `The ${protocol?.id ?? 'protocol'} decoder failed on a ${socketName} frame: ${error instanceof Error ? error.message : String(error)}. The text so far is kept.`
        for (const answer of [...answers]) {
          if (answer.connection !== connection || answer.phase !== 'streaming') continue
          abandon(answer, new ChatRequestError('interrupted', { message: reason, code: 'decoder-error' }))
        }
        continue
      }
      // A frame is usually about one message; its events are routed per message id, in order.
      const byId = new Map<string, ChatEvent[]>()
      for (const event of events) {
        const list = byId.get(event.messageId)
        if (list === undefined) byId.set(event.messageId, [event])
        else list.push(event)
      }
      for (const [id, list] of byId) {
        const owner = ownerOf(id, list, connection)
        if (owner === 'drop') continue
        if (owner === 'push') {
          for (const event of list) for (const listener of listeners) listener(event)
          continue
        }
        owner.request.observer.byte()
        deliver(owner, list)
      }
    }
  }

  function oversized(length: number): ChatRequestError {
    return new ChatRequestError('interrupted', {
      message: `A ${socketName} frame of ${length} characters arrived, more than maxFrameSize (${maxFrameSize}). The text so far is kept; raise maxFrameSize if the server really sends frames that large.`,
      code: 'frame-too-large',
    })
  }

  /** The text a whole message carries in one frame's events. */
  function wholeText(events: readonly ChatEvent[]): string {
    let text = ''
    for (const event of events) {
      if (event.type === 'text-delta') text += event.delta
      else if (event.type === 'text-end' && event.text !== undefined) text = event.text
      else if (event.type === 'message-end' && event.content !== undefined) text = event.content
    }
    return text.trim()
  }

  /**
   * A whole user message the server pushed, with the text of the user message of one of our
   * requests still waiting for its answer: the server's echo of it (seed 004 broadcasts the
   * user's own message to the channel). It is already in the conversation; the oldest such
   * request not yet echoed is marked echoed, and may now adopt the next placeholder.
   */
  function takeEcho(events: readonly ChatEvent[], connection: Connection): boolean {
    const text = wholeText(events)
    for (const answer of answers) {
      if (answer.connection !== connection || answer.echoed) continue
      if (answer.phase !== 'sent' && answer.phase !== 'streaming' && answer.phase !== 'draining') continue
      let lastUser: (typeof answer.request.messages)[number] | undefined
      for (const message of answer.request.messages) if (message.role === 'user') lastUser = message
      if (lastUser !== undefined && messageText(lastUser).trim() === text) {
        answer.echoed = true
        return true
      }
    }
    return false
  }

  /**
   * `message-id` routing: the answer a message's events belong to, `push` for a message that
   * is nobody's (pushed by the server: another agent, another client's message and its answer),
   * `drop` for one to ignore (a late frame of an answer the client ended, the echo of the user's
   * own message, a message whose announcement this connection never saw).
   *
   * What ties an answer to its request (seed 004 names no request in its frames; its processor
   * saves and broadcasts the user's message, then broadcasts the agent's placeholder, then the
   * chunks, all to every client of the channel): the placeholder's announcement
   * (`message-start`), taken by the oldest request waiting on this socket, and, on a server that
   * echoes user messages, only by a request whose echo already came. A frame of an id the
   * connection never saw announced is never adopted (another client's answer already streaming
   * when this one asked). A server that answers under the id the request sent is matched by
   * that id.
   */
  function ownerOf(
    id: string,
    events: readonly ChatEvent[],
    connection: Connection,
  ): Answer | 'push' | 'drop' {
    const owner = owners.get(id)
    if (owner !== undefined) return owner
    const ended = retired.get(id)
    if (ended !== undefined) {
      // The server answered a stopped request under the id we sent: it will not name another.
      for (const answer of answers)
        if (answer.phase === 'draining' && answer.request.messageId === id) release(answer)
      return ended
    }
    const start = events.find((event) => event.type === 'message-start')
    if (start?.type !== 'message-start') {
      // Mid-message: its placeholder went to this channel before this request (or this socket)
      // existed, so it answers someone else. Its later frames (and final version) go with it.
      retire(id, 'drop')
      return 'drop'
    }
    if (start.pushed || (start.role !== undefined && start.role !== 'assistant')) {
      if (start.role === 'user') {
        serverEchoes = true
        if (takeEcho(events, connection)) {
          retire(id, 'drop')
          return 'drop'
        }
      }
      // Nobody's: its later frames are pushed with it, never adopted.
      retire(id, 'push')
      return 'push'
    }
    // The server announced an answer under its own id: the oldest request still waiting for one
    // adopts it (requests on one socket are answered in order), once its echo came on a server
    // that echoes. A request stopped before the server named its answer takes that answer first,
    // and drops it.
    for (const answer of answers) {
      if (answer.connection !== connection || answer.adopted) continue
      if (answer.phase !== 'draining' && answer.phase !== 'sent') continue
      if (serverEchoes && !answer.echoed) continue
      if (answer.phase === 'draining') {
        retire(id, 'drop')
        release(answer)
        return 'drop'
      }
      answer.adopted = true
      answer.messageIds.add(id)
      owners.set(id, answer)
      return answer
    }
    // Another client's answer (its request's echo came, not ours), or one nobody waits for.
    retire(id, 'push')
    return 'push'
  }

  function startHeartbeat(connection: Connection): void {
    if (heartbeat === undefined) return
    const interval = heartbeat.interval ?? heartbeat.timeout / 3
    const tick = Math.max(20, Math.min(interval, heartbeat.timeout / 4))
    connection.heartbeatTimer = setInterval(() => {
      const now = Date.now()
      if (!inFlight(connection)) {
        // Nothing is expected while no answer is in flight: silence then is no sign of death.
        connection.lastFrameAt = now
        return
      }
      if (now - connection.lastFrameAt > heartbeat.timeout) {
        dropConnection(
          connection,
          `no frame arrived for ${heartbeat.timeout} ms (heartbeat.timeout): the server or the network is gone`,
        )
        return
      }
      if (heartbeat.frame && now - connection.lastHeartbeatAt >= interval) {
        connection.lastHeartbeatAt = now
        try {
          connection.socket?.send(heartbeat.frame())
        } catch {
          // The close that follows ends what is in flight.
        }
      }
    }, tick)
  }

  function stopHeartbeat(connection: Connection): void {
    if (connection.heartbeatTimer !== undefined) clearInterval(connection.heartbeatTimer)
    connection.heartbeatTimer = undefined
  }

  /** The client closes the connection on purpose (a stop, a stale answer): nothing is redelivered. */
  function closeConnection(connection: Connection, why: string): void {
    if (!connection.open) return
    const socket = connection.socket
    ended(connection, { why, deliberate: true })
    try {
      socket?.close(clientCloseCode, 'stopped by the client')
    } catch {
      // Already closing.
    }
  }

  /** The connection is dead without having closed: close it and handle it as a drop. */
  function dropConnection(connection: Connection, why: string): void {
    if (!connection.open) return
    const socket = connection.socket
    ended(connection, { why, deliberate: false })
    try {
      socket?.close(clientCloseCode, 'no heartbeat')
    } catch {
      // Already closing.
    }
  }

  /** The connection is over: settle every answer that depended on it. */
  function ended(connection: Connection, detail: { why: string; deliberate: boolean }): void {
    connection.open = false
    stopHeartbeat(connection)
    if (current === connection) current = undefined
    for (const answer of [...answers]) {
      if (answer.connection !== connection) continue
      switch (answer.phase) {
        case 'draining':
          // The server sees the close: that stops the answer as surely as the cancel frame.
          release(answer)
          break
        case 'sent':
          // The server may never have read it: the controller retries it if allowed.
          answer.queue.fail(
            new ChatRequestError('network', {
              message: `The ${socketName} connection to ${url} closed before the server answered (${detail.why}).`,
            }),
          )
          release(answer)
          break
        case 'streaming':
          if (!detail.deliberate && routing === 'message-id' && redeliveryTimeout > 0 && !closedByApp) {
            answer.phase = 'waiting-redelivery'
            setTimer(answer, redeliveryTimeout, () => {
              answer.queue.fail(
                new ChatRequestError('interrupted', {
                  message: `The ${socketName} connection to ${url} dropped, and the server did not continue the answer within ${redeliveryTimeout} ms (redeliveryTimeout). The text so far is kept; retry to ask again.`,
                }),
              )
              release(answer)
            })
            break
          }
          flushInlineTags(answer)
          answer.queue.fail(
            new ChatRequestError('interrupted', {
              message: `The ${socketName} connection to ${url} was lost mid-answer (${detail.why}). The text so far is kept; retry to ask again.`,
            }),
          )
          release(answer)
          break
        default:
          break
      }
    }
    if (answers.some((answer) => answer.phase === 'waiting-redelivery')) scheduleReconnect()
    else sendHeld()
  }

  function scheduleReconnect(): void {
    if (closedByApp || reconnectTimer !== undefined || current !== undefined) return
    const waiting = () => answers.filter((answer) => answer.phase === 'waiting-redelivery')
    if (reconnect === false || reconnectAttempt >= reconnect.attempts) {
      for (const answer of waiting()) {
        answer.queue.fail(
          new ChatRequestError('interrupted', {
            message: `The ${socketName} connection to ${url} was lost and could not be re-established${reconnect === false ? '' : ` after ${reconnectAttempt} attempts`}. The text so far is kept; retry to ask again.`,
          }),
        )
        release(answer)
      }
      return
    }
    reconnectAttempt++
    reconnectTimer = setTimeout(
      () => {
        reconnectTimer = undefined
        connect().then(
          (connection) => {
            // Answers waiting for the server to continue them listen on the new connection.
            for (const answer of waiting()) answer.connection = connection
          },
          () => scheduleReconnect(),
        )
      },
      retryDelay(reconnect, reconnectAttempt),
    )
  }

  function connect(): Promise<Connection> {
    if (current?.open) return Promise.resolve(current)
    if (opening) return opening
    const target = url!
    const connection: Connection = {
      socket: undefined,
      open: false,
      decoder: undefined,
      framer: undefined,
      lastFrameAt: Date.now(),
      lastHeartbeatAt: Date.now(),
      heartbeatTimer: undefined,
    }
    const attempt = connector(target, {
      frame: (data) => onFrame(connection, data),
      close: (detail) => {
        if (connection.open) ended(connection, { why: closeDescription(detail), deliberate: false })
      },
    }).then(
      (socket) => {
        opening = undefined
        if (closedByApp) {
          socket.close(1000, 'closed by the app')
          throw new ChatRequestError('network', {
            message: `The ${socketName} transport was closed by the app.`,
          })
        }
        connection.socket = socket
        connection.open = true
        connection.lastFrameAt = Date.now()
        if (routing === 'message-id') {
          connection.decoder = protocol!.createDecoder()
          connection.framer = framing === 'frames' ? undefined : createFramer(framing)
        }
        current = connection
        reconnectAttempt = 0
        startHeartbeat(connection)
        return connection
      },
      (error: unknown) => {
        opening = undefined
        throw error
      },
    )
    opening = attempt
    return attempt
  }

  /** Send the request frame of every queued answer that may go now. */
  function sendHeld(): void {
    for (const answer of answers) {
      // Frames that name nothing can only be told apart when one answer streams at a time: a
      // request waits until the answer before it (stopped ones included) has ended.
      if (answer.phase !== 'queued') {
        if (routing === 'in-order') return
        continue
      }
      if (!current?.open) {
        void connect().then(
          () => sendHeld(),
          (error: unknown) => {
            for (const waiting of answers.filter((candidate) => candidate.phase === 'queued')) {
              waiting.queue.fail(error)
              release(waiting)
            }
          },
        )
        return
      }
      sendRequest(answer, current)
      if (routing === 'in-order') return
    }
  }

  function sendRequest(answer: Answer, connection: Connection): void {
    const request = answer.request
    const frame = options.encodeRequest
      ? options.encodeRequest(request)
      : { type: 'message', message_id: request.messageId, trigger: request.trigger, ...request.body }
    answer.connection = connection
    answer.phase = 'sent'
    connection.lastFrameAt = Date.now()
    try {
      connection.socket!.send(frame)
    } catch (cause) {
      answer.queue.fail(
        new ChatRequestError(
          'network',
          { message: `Could not send the request on the ${socketName} connection to ${url}.` },
          { cause },
        ),
      )
      release(answer)
      return
    }
    if (routing === 'message-id' || headOf(connection) === answer) watch(answer)
  }

  return {
    keepsMessageIds: true,
    get connected() {
      return current?.open === true
    },
    async *request(request) {
      if (url !== undefined && url !== request.api) {
        throw new ChatRequestError('network', {
          message: `This ${socketName} transport is connected to ${url} and cannot also serve ${request.api}. Create one transport per socket URL.`,
        })
      }
      if (protocol !== undefined && protocol.id !== request.protocol.id && answers.length > 0) {
        throw new ChatRequestError('network', {
          message: `This ${socketName} transport carries protocol "${protocol.id}" and cannot also carry "${request.protocol.id}" on the same socket. Create one transport per protocol.`,
        })
      }
      if (options.cancel === 'frame' && !options.cancelFrame && !protocolCancelFrame(request.protocol)) {
        throw new ChatRequestError('network', {
          message: `${socketName} transport: cancel is "frame" but protocol "${request.protocol.id}" has no cancel frame. Pass cancelFrame (the frame your server reads as a stop), or cancel: 'close'.`,
        })
      }
      url = request.api
      if (protocol !== request.protocol) {
        protocol = request.protocol
        routing = options.routing ?? (protocol.id === 'message-events' ? 'message-id' : 'in-order')
        framing = request.framing ?? 'frames'
        // A connection decodes with the protocol it was opened for.
        if (current?.open && routing === 'message-id') {
          current.decoder = protocol.createDecoder()
          current.framer = framing === 'frames' ? undefined : createFramer(framing)
        }
      }
      closedByApp = false
      if (request.inlineTags) inlineTagsModule ??= await import('../inline-tags.ts')
      const answer: Answer = {
        request,
        queue: createPushQueue<ChatEvent>(options.maxQueueSize ?? 10_000),
        phase: 'queued',
        connection: undefined,
        decoder:
          routing === 'in-order'
            ? request.protocol.createDecoder({ messageId: request.messageId })
            : undefined,
        framer: routing === 'in-order' && framing !== 'frames' ? createFramer(framing) : undefined,
        inlineTags: request.inlineTags ? inlineTagsModule?.createInlineTagTransform() : undefined,
        messageIds: new Set([request.messageId]),
        adopted: false,
        echoed: false,
        timer: undefined,
      }
      if (request.signal.aborted) return
      answers.push(answer)
      owners.set(request.messageId, answer)
      const onAbort = () => {
        answer.queue.end()
        stopOnServer(answer)
      }
      request.signal.addEventListener('abort', onAbort, { once: true })
      try {
        await connect()
        if (request.signal.aborted) return
        sendHeld()
        yield* answer.queue
      } finally {
        request.signal.removeEventListener('abort', onAbort)
        // The reader went away before the answer ended: it is stopped like by the user.
        if (answer.phase !== 'done' && answer.phase !== 'draining') stopOnServer(answer)
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      closedByApp = true
      if (reconnectTimer !== undefined) clearTimeout(reconnectTimer)
      reconnectTimer = undefined
      for (const answer of [...answers]) {
        answer.queue.fail(
          new ChatRequestError('interrupted', {
            message: `The ${socketName} connection to ${url} was closed by the app.`,
          }),
        )
        release(answer)
      }
      const connection = current
      if (connection) {
        ended(connection, { why: 'closed by the app', deliberate: true })
        try {
          connection.socket?.close(1000, 'closed by the app')
        } catch {
          // Already closing.
        }
      }
    },
  }
}

/**
 * Open connections with a WebSocket constructor.
 *
 * @example
 * ```ts
 * const connector = webSocketConnector(WebSocket)
 * ```
 */
export function webSocketConnector(
  WebSocketClass: WebSocketConstructor | undefined,
  protocols?: string | string[],
): FrameConnector {
  return (target, handlers) =>
    new Promise<FrameConnection>((resolve, reject) => {
      const SocketClass = WebSocketClass ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
      if (SocketClass === undefined) {
        reject(
          new ChatRequestError('network', {
            message:
              'There is no WebSocket in this environment. Pass one as createWebSocketTransport({ WebSocket }) (for example from the "ws" package).',
          }),
        )
        return
      }
      let socket: WebSocketLike
      try {
        socket = new SocketClass(target, protocols)
      } catch (cause) {
        reject(
          new ChatRequestError(
            'network',
            {
              message: `Could not open a WebSocket to ${target}: ${(cause as Error)?.message ?? String(cause)}.`,
            },
            { cause },
          ),
        )
        return
      }
      if ('binaryType' in socket) socket.binaryType = 'arraybuffer'
      let state: 'opening' | 'open' | 'closed' = 'opening'
      socket.addEventListener('open', () => {
        if (state !== 'opening') return
        state = 'open'
        resolve({
          send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
          close: (code, reason) => {
            state = 'closed'
            socket.close(code, reason)
          },
        })
      })
      socket.addEventListener('message', (event) => {
        if (state === 'open') handlers.frame(event.data)
      })
      socket.addEventListener('close', (event) => {
        const was = state
        state = 'closed'
        if (was === 'opening') {
          reject(
            new ChatRequestError('network', {
              message: `Could not connect to ${target} (${closeDescription(event)}). Check the URL and that the server accepts WebSocket connections.`,
            }),
          )
        } else if (was === 'open') {
          const detail: { code?: number; reason?: string } = {}
          if (event.code !== undefined) detail.code = event.code
          if (event.reason !== undefined) detail.reason = event.reason
          handlers.close(detail)
        }
      })
    })
}

/**
 * Create a WebSocket transport. `api` is the socket URL (`ws:` or `wss:`). One socket carries
 * every request of the chats that share the transport; it opens on the first request.
 *
 * Frames that belong to no request (messages the server pushes on its own, `message-id` routing)
 * reach the controller through `subscribe`, which applies them to the store with the wire's ids.
 *
 * @example
 * ```ts
 * createChat({ api: 'ws://localhost:8080/chat', protocol: 'message-events', transport: 'websocket' })
 * // or with options:
 * const transport = createWebSocketTransport({ WebSocket, cancel: 'close', heartbeat: { timeout: 2000, frame: () => ({ type: 'ping' }) } })
 * ```
 */
export function createWebSocketTransport(options: WebSocketTransportOptions = {}): SocketTransport {
  return createFrameSocketTransport(
    webSocketConnector(options.WebSocket, options.protocols),
    options,
    'WebSocket',
  )
}
