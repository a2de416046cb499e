/**
 * The chat controller: one conversation's I/O. It sends, streams, stops, retries, regenerates
 * and resumes, and writes only through the store (events through the reducer, in batches of
 * at most one per frame).
 *
 * @example
 * ```ts
 * import { createChat } from '@sluice/core'
 * const chat = createChat({ api: '/api/chat', protocol: 'openai-chat', body: { model: 'gpt-4o', stream: true } })
 * chat.store.subscribe((state) => render(state))
 * await chat.send('Hello')
 * ```
 * @module
 */

import { type BranchInfo, selectBranchInfo } from '../branches.ts'
import type { ChatEvent } from '../events.ts'
import { isTerminalEvent } from '../events.ts'
import {
  type FilePart,
  type Message,
  type MessageError,
  type MessageFeedback,
  type MessageMetrics,
  type MessagePart,
  messageText,
  type ToolCallPart,
} from '../message.ts'
import type { Framing, Protocol, ProtocolId } from '../protocol.ts'
import { loadedProtocol, loadProtocol } from '../resolve-protocol.ts'
import { hasOwnKey, ownValue } from '../safety/records.ts'
import { type ChatStore, type ChatStoreState, createChatStore, type QueuedMessage } from '../store.ts'
import { createEventBatcher } from './event-batcher.ts'
import type { FrameScheduler } from './frame-scheduler.ts'
import { createMetricsRecorder, type MetricsRecorder } from './message-metrics.ts'
import { type ResumeOptions, shouldFollowOnConnect } from './resume-metadata.ts'
import {
  defaultRetryOptions,
  type RetryOptions,
  retryableStatuses,
  retryDelay,
  sleep,
} from './retry-policy.ts'
import type { SocketIoTransportOptions } from './socketio-transport.ts'
import { ChatRequestError, type RequestTrigger, type Transport, type TransportRequest } from './transport.ts'
import type { WebSocketTransportOptions } from './websocket-transport.ts'

/** Options for {@link createChat}. */
export interface ChatOptions {
  /** The endpoint: an `http(s)` URL (or path) for fetch and EventSource, a `ws(s)` URL for WebSocket. */
  api: string
  /**
   * The wire protocol, as a `Protocol` object (`openaiChatProtocol`: only that decoder is
   * bundled) or by id (`'openai-chat'`: checked here, and the registry of every decoder is
   * loaded when the first request starts, as a lazy chunk when the app's bundler splits code).
   */
  protocol: Protocol | ProtocolId
  /**
   * How requests travel: `fetch` (default; SSE, NDJSON, text or a JSON body), `eventsource`
   * (GET), `websocket` (one socket, many answers), `socketio` (the same over Socket.IO, through
   * the optional peer dependency `socket.io-client`), or your own {@link Transport}.
   */
  transport?: 'fetch' | 'websocket' | 'eventsource' | 'socketio' | Transport
  /**
   * How long an answer may take to send anything at all, in milliseconds; past it the answer
   * ends `interrupted` with a message naming the timeout. Applies to every transport (it
   * travels with each request, and wins over the transport's own option).
   */
  firstByteTimeout?: number
  /**
   * The longest silence between two pieces of an answer that began, in milliseconds; past it
   * the answer ends `interrupted`, its text kept, with a message naming the timeout. Applies to
   * every transport, like `firstByteTimeout`.
   */
  idleTimeout?: number
  /**
   * The largest whole body (a JSON answer) the fetch transport reads, in bytes; default 16 MiB.
   * A larger one fails clearly (code `body-too-large`) without being held whole. Streams are not
   * capped in total.
   */
  maxBodyBytes?: number
  /**
   * Options of the WebSocket transport when `transport: 'websocket'` (cancel strategy, heartbeat,
   * routing, reconnects, `WebSocket` constructor…): every timing of the string transport is set here.
   *
   * @example
   * ```ts
   * createChat({ api: 'ws://localhost:8080', protocol: 'agent-events', transport: 'websocket', websocket: { heartbeat: { timeout: 2000 } } })
   * ```
   */
  websocket?: WebSocketTransportOptions
  /** Options of the Socket.IO transport when `transport: 'socketio'` (`io`, `socketOptions`, and the WebSocket transport's). */
  socketio?: SocketIoTransportOptions
  /** Override the protocol's framing (an agent backend sending the same JSON as NDJSON instead of SSE). */
  framing?: Framing
  /** Turn `<think>` and `<tool_call>` tags inside the text into reasoning and tool calls. */
  inlineTags?: boolean
  /**
   * Extra request body fields, merged over the default body `{ messages: [{ role, content }] }`
   * (built from the store's messages). A function receives the messages and returns the fields.
   * A field set to `undefined` is left out of the JSON, so `{ messages: undefined, input: … }`
   * replaces the default shape for APIs that do not take `messages` (OpenAI Responses, Gemini).
   */
  body?: object | ((messages: readonly Message[]) => object)
  /** Request headers (a function is called per request, e.g. for a fresh token). */
  headers?: Record<string, string> | (() => Record<string, string>)
  /** The fetch to use with the `fetch` transport. */
  fetch?: typeof fetch
  /** The store to write to; a new one by default. */
  store?: ChatStore
  /** Messages to start with, when the chat creates its store. */
  initialMessages?: readonly Message[]
  /** Ids for new messages; `crypto.randomUUID()` by default. */
  idGenerator?: () => string
  /**
   * Retry requests that fail before their first byte (network errors, 408/429/5xx), with
   * exponential backoff. `false` for endpoints that must not receive a request twice.
   * Default `{ attempts: 2, baseDelay: 500, maxDelay: 8000 }`.
   */
  retry?: RetryOptions | false
  /** `false` asks for one JSON answer (`stream: false` is added to the body); the same lifecycle runs on it. */
  stream?: boolean
  /**
   * WebSocket and Socket.IO: the frame that tells the server to stop a message (the same as
   * `websocket.cancelFrame`). `message-events` has one by default (`stream_cancel`); without
   * one, a stop closes the socket.
   */
  cancelFrame?: (messageId: string) => unknown
  /** A message completed. */
  onFinish?: (message: Message) => void
  /**
   * Sending while an answer streams adds the message to a queue (`getState().queue`,
   * `selectQueue`) instead of stopping the answer; the first queued message is sent when the
   * answer completes. After a stop, an error or an interruption the queue waits (it is never
   * cleared but by `clearQueue` or removing its messages): `sendQueuedNow` sends one at once.
   * Default `false`: a send stops the streaming answer.
   */
  queue?: boolean
  /** The user rated an answer (`chat.setFeedback`); `undefined` when the rating was cleared. */
  onFeedback?: (message: Message, feedback: MessageFeedback | undefined) => void
  /** A request failed, or its answer ended in an error or an interruption. */
  onError?: (error: Error, message: Message | undefined) => void
  /**
   * A tool call's input is complete. Return (or resolve) its output to record it as the
   * result, or `undefined` to leave it for {@link Chat.addToolResult}.
   */
  onToolCall?: (toolCall: ToolCallPart, message: Message) => unknown
  /**
   * The agent loop: checked when an answer ends and when a tool result is recorded; when it
   * returns true (and no answer is streaming) the conversation is sent again, tool results
   * included, and the model's next step streams into a new assistant message. Pass
   * {@link lastAssistantMessageIsCompleteWithToolCalls}. The request body must carry the tool
   * calls: use `body` with {@link toOpenAIChatMessages} or {@link toAnthropicRequest} (the
   * default body's messages carry them as `toolCalls`). `stop()` ends the loop.
   */
  sendAutomaticallyWhen?: (messages: readonly Message[]) => boolean
  /** At most this many automatic sends after one user action (send, regenerate, retry, resume). Default 5. */
  maxAutomaticSends?: number
  /**
   * `false` defers subscribing to the transport's server-pushed messages (`Transport.subscribe`)
   * until {@link Chat.connect} or the first request. For code that may create a chat and throw
   * it away (React's StrictMode runs state initialisers twice): an unconnected chat holds
   * nothing. Default `true`: subscribed at creation.
   */
  connect?: boolean
  /**
   * For servers that keep streams (`@sluice/server`'s relay): each answer is sent with a
   * `streamId` (kept in the message's `metadata.streamId`); a dropped connection reconnects
   * with `GET ?streamId=…` and `Last-Event-ID` without duplicating or losing an event; a chat
   * created on a conversation whose last answer was still streaming (a reload, a second tab)
   * follows it on connect; `stop()` also sends `DELETE ?streamId=…` to stop the model. Fetch
   * transport only; the body is SSE whatever the protocol's own framing.
   */
  resume?: boolean | ResumeOptions
  /** When batches are applied; one per animation frame by default (a 16 ms timer when hidden or in Node). */
  scheduler?: FrameScheduler
  /** The clock for `at` stamps and metrics (epoch ms). */
  now?: () => number
}

/** Options for one {@link Chat.send}. */
export interface SendOptions {
  /** Extra body fields for this request only. */
  body?: object
  /**
   * Files the user attached: they become `file` parts of the user message (before its text) and
   * `files` of its entry in the default request body. Give http(s) URLs (uploaded) or `data:`
   * URLs; the provider converters ({@link toOpenAIChatMessages} and the others) put them in each
   * provider's shape. With files, the text may be empty.
   */
  files?: readonly FilePart[]
  /** Extra headers for this request only. */
  headers?: Record<string, string>
}

/** What {@link createChat} returns. */
export interface Chat {
  /** The store the chat writes to; read it with selectors or `useSyncExternalStore`. */
  readonly store: ChatStore
  /**
   * Append a user message and stream the answer into an assistant placeholder
   * (`pending` → `streaming` → `complete`). A stream still running is stopped first.
   * Resolves when the answer ended, however it ended; it never rejects for a failed request
   * (the message says what failed).
   *
   * @example
   * ```ts
   * await chat.send('What is the weather in Paris?')
   * await chat.send('What is in this picture?', {
   *   files: [{ type: 'file', url: 'https://files.example.com/cat.png', mediaType: 'image/png', name: 'cat.png' }],
   * })
   * ```
   */
  send(text: string, options?: SendOptions): Promise<void>
  /**
   * Stop the answer in progress: abort the request (the server sees the connection close),
   * keep the partial text, mark the message `cancelled` and its unfinished tool calls
   * `cancelled`. Nothing that arrives afterwards is applied.
   *
   * @example
   * ```ts
   * stopButton.onclick = () => chat.stop()
   * ```
   */
  stop(): void
  /**
   * Ask again for the last answer, or for the answer `messageId` anywhere in the conversation. The earlier answer (and, for an earlier one, everything after it) is kept as
   * another version (`branches`, `switchBranch`); the model sees the conversation up to the
   * question that answer replied to. Rejects when `messageId` is not an assistant message.
   *
   * @example
   * ```ts
   * await chat.regenerate()
   * chat.branches(chat.getState().messageIds.at(-1)!) // { index: 1, count: 2, … }
   * await chat.regenerate(firstAnswerId) // a new version of the first answer; the rest is kept beside it
   * ```
   */
  regenerate(messageId?: string): Promise<void>
  /**
   * Edit a user message: the new text becomes a new version of it (the earlier one and its
   * answers are kept) and is answered.
   *
   * @example
   * ```ts
   * await chat.edit('u1', 'What about Lisbon?')
   * ```
   */
  edit(messageId: string, text: string, options?: SendOptions): Promise<void>
  /**
   * The versions of `messageId`'s turn: which one is shown and how many there are.
   *
   * @example
   * ```ts
   * const { index, count } = chat.branches('a1') // "‹ index + 1 / count ›"
   * ```
   */
  branches(messageId: string): BranchInfo
  /**
   * Show another version of `messageId`'s turn (a 0-based index, or the one before or after)
   * with its whole continuation. An answer streaming in another version goes on there.
   *
   * @example
   * ```ts
   * chat.switchBranch('a2', 'previous')
   * ```
   */
  switchBranch(messageId: string, to: number | 'previous' | 'next'): void
  /**
   * Rate an answer (thumbs up or down; `undefined` clears it). Kept on the message
   * (`message.feedback`), saved with it, and reported to `onFeedback`.
   *
   * @example
   * ```ts
   * chat.setFeedback('a1', 'positive')
   * ```
   */
  setFeedback(messageId: string, feedback: MessageFeedback | undefined): void
  /**
   * Change the text of a queued message (see `queue`).
   *
   * @example
   * ```ts
   * chat.updateQueued(chat.getState().queue[0]!.id, 'And Porto?')
   * ```
   */
  updateQueued(id: string, text: string): void
  /** Remove a queued message. */
  removeQueued(id: string): void
  /** Move a queued message to `toIndex` (0 is sent first). */
  moveQueued(id: string, toIndex: number): void
  /**
   * Stop the streaming answer (if any) and send this queued message at once.
   *
   * @example
   * ```ts
   * await chat.sendQueuedNow(id)
   * ```
   */
  sendQueuedNow(id: string): Promise<void>
  /** Empty the queue. */
  clearQueue(): void
  /**
   * Re-run the last assistant message when it ended in `error`, `interrupted` or `cancelled`:
   * its partial content is dropped and the request is sent again.
   *
   * @example
   * ```ts
   * if (lastMessage.status === 'interrupted') await chat.retry()
   * ```
   */
  retry(): Promise<void>
  /**
   * Reconnect to an `interrupted` answer with `Last-Event-ID` (the last SSE id received) and
   * continue it in place, without duplicating what already arrived. Throws when the server
   * sent no SSE ids (then only {@link Chat.retry} can help).
   *
   * @example
   * ```ts
   * if (chat.canResume()) await chat.resume()
   * ```
   */
  resume(): Promise<void>
  /**
   * Whether {@link Chat.resume} can continue the last message.
   *
   * @example
   * ```ts
   * resumeButton.hidden = !chat.canResume()
   * ```
   */
  canResume(): boolean
  /**
   * Record the result (or the error) of a tool call the app ran.
   *
   * @example
   * ```ts
   * chat.addToolResult({ toolCallId: 'call_1', output: { temperature: 21 } })
   * chat.addToolResult({ toolCallId: 'call_2', errorText: 'City not found' })
   * ```
   */
  addToolResult(
    result: { toolCallId: string; output: unknown } | { toolCallId: string; errorText: string },
  ): void
  /**
   * Replace the conversation (load history, switch conversation). A stream in progress is
   * stopped unless `keepStreaming` is set.
   *
   * @example
   * ```ts
   * chat.setMessages(await loadConversation(id))
   * ```
   */
  setMessages(messages: readonly Message[], options?: { keepStreaming?: boolean }): void
  /**
   * Let go of the chat: stop the stream (unless `keepStreaming`, which lets it finish into
   * the store in the background) and close the connections the chat opened.
   *
   * @example
   * ```ts
   * useEffect(() => () => chat.dispose(), [chat])
   * ```
   */
  dispose(options?: { keepStreaming?: boolean }): void
  /**
   * Subscribe to the messages the transport pushes that belong to no request (a shared socket).
   * Done at creation unless `connect: false`; calling it again does nothing.
   *
   * @example
   * ```ts
   * const chat = createChat({ api: 'wss://example.com/chat', protocol: 'message-events', transport, connect: false })
   * chat.connect()
   * ```
   */
  connect(): void
  /**
   * The store's current state.
   *
   * @example
   * ```ts
   * chat.getState().messageIds.length
   * ```
   */
  getState(): ChatStoreState
}

interface ActiveRequest {
  controller: AbortController
  /** The assistant message being written (the placeholder, or the id a socket server chose). */
  messageId: string
  /** True after `stop()`: nothing more is applied. */
  stopped: boolean
}

/**
 * A transport whose code is loaded on its first request. The socket and EventSource transports
 * are chosen by a string option, so a static import would ship them to every app; most use
 * fetch. Neither opens a connection before its first request, so loading them then changes
 * nothing an app can see. A chunk that fails to load fails that request (the answer becomes a
 * `message-error`), and the next request tries again.
 */
/** A transport whose code loads on first use; `preload` starts loading it ahead of the request. */
type LazyTransport = Transport & { preload?(): void }

function createLazyTransport(keepsMessageIds: boolean, load: () => Promise<Transport>): LazyTransport {
  let loaded: Transport | undefined
  let loading: Promise<Transport> | undefined
  let closed = false
  /** Each listener with the unsubscribe function of the loaded transport (none before it loads). */
  const listeners = new Map<(event: ChatEvent) => void, (() => void) | undefined>()

  function loadOnce(): Promise<Transport> {
    loading ??= load().then(
      (transport) => {
        loaded = transport
        for (const listener of listeners.keys()) listeners.set(listener, transport.subscribe?.(listener))
        if (closed) transport.close?.()
        return transport
      },
      (error: unknown) => {
        loading = undefined
        throw error
      },
    )
    return loading
  }

  async function* requestAfterLoad(request: TransportRequest): AsyncGenerator<ChatEvent, void, undefined> {
    yield* (await loadOnce()).request(request)
  }

  return {
    keepsMessageIds,
    preload() {
      // A failed load is reported by the request that needs it; here it is only started.
      loadOnce().catch(() => {})
    },
    // Once loaded, the transport's own iterable is returned: no extra generator per event.
    request: (request) => (loaded ? loaded.request(request) : requestAfterLoad(request)),
    subscribe(listener) {
      listeners.set(listener, loaded?.subscribe?.(listener))
      return () => {
        listeners.get(listener)?.()
        listeners.delete(listener)
      }
    },
    close() {
      closed = true
      loaded?.close?.()
    },
  }
}

let fallbackCounter = 0
function defaultIdGenerator(): string {
  const cryptoObject = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto
  if (cryptoObject?.randomUUID) return cryptoObject.randomUUID()
  fallbackCounter++
  return `message-${Date.now().toString(36)}-${fallbackCounter}`
}

/** A tool call in the default request body. */
export interface DefaultRequestToolCall {
  toolCallId: string
  toolName: string
  state: ToolCallPart['state']
  input: unknown
  output?: unknown
  errorText?: string
}

/** A file in the default request body. */
export interface DefaultRequestFile {
  url: string
  mediaType: string
  name?: string
  size?: number
}

/** A message in the default request body. */
export interface DefaultRequestMessage {
  role: string
  content: string
  /** The message's tool calls with their results, when it has any. */
  toolCalls?: DefaultRequestToolCall[]
  /** The message's files (attachments), when it has any. */
  files?: DefaultRequestFile[]
}

/**
 * The default request body: `{ messages: [{ role, content, toolCalls?, files? }] }`. Assistant messages that
 * failed or never started are left out: they are not part of the conversation the model saw.
 *
 * @example
 * ```ts
 * defaultRequestBody(messages) // { messages: [{ role: 'user', content: 'Hi' }] }
 * ```
 */
export function defaultRequestBody(messages: readonly Message[]): { messages: DefaultRequestMessage[] } {
  const wire: DefaultRequestMessage[] = []
  for (const message of messages) {
    if (message.role === 'assistant' && (message.status === 'error' || message.status === 'pending')) continue
    const entry: DefaultRequestMessage = { role: message.role, content: messageText(message) }
    const toolCalls: DefaultRequestToolCall[] = []
    const files: DefaultRequestFile[] = []
    for (const part of message.parts) {
      if (part.type === 'file') {
        const file: DefaultRequestFile = { url: part.url, mediaType: part.mediaType }
        if (part.name !== undefined) file.name = part.name
        if (part.size !== undefined) file.size = part.size
        files.push(file)
        continue
      }
      if (part.type !== 'tool-call') continue
      const call: DefaultRequestToolCall = {
        toolCallId: part.toolCallId,
        toolName: part.toolName,
        state: part.state,
        input: part.input ?? null,
      }
      if (part.state === 'output-available') call.output = part.output ?? null
      if (part.errorText !== undefined) call.errorText = part.errorText
      toolCalls.push(call)
    }
    if (toolCalls.length > 0) entry.toolCalls = toolCalls
    if (files.length > 0) entry.files = files
    wire.push(entry)
  }
  return { messages: wire }
}

/** A user message's parts: the attached files (copied, so later edits of the caller's objects do not reach the store), then the text. */
function userParts(text: string, files: readonly FilePart[] | undefined): MessagePart[] {
  const parts: MessagePart[] = []
  for (const file of files ?? []) {
    const part: FilePart = { type: 'file', url: file.url, mediaType: file.mediaType }
    if (file.name !== undefined) part.name = file.name
    if (file.size !== undefined) part.size = file.size
    parts.push(part)
  }
  if (text !== '' || parts.length === 0) parts.push({ type: 'text', id: 'text', text, state: 'done' })
  return parts
}

function toError(error: MessageError | undefined, fallback: string): Error {
  const result = new Error(error?.message ?? fallback) as Error & { status?: number; code?: string }
  if (error?.status !== undefined) result.status = error.status
  if (error?.code !== undefined) result.code = error.code
  return result
}

/**
 * Create a chat controller for one conversation.
 *
 * @example
 * ```ts
 * const chat = createChat({
 *   api: 'https://api.anthropic.com/v1/messages',
 *   protocol: 'anthropic',
 *   headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' },
 *   body: (messages) => ({ model: 'claude-sonnet-4-5', max_tokens: 1024, stream: true }),
 * })
 * await chat.send('Hello')
 * chat.getState().messages[chat.getState().messageIds.at(-1)!]?.status // 'complete'
 * ```
 */
export function createChat(options: ChatOptions): Chat {
  const store =
    options.store ?? createChatStore(options.initialMessages ? { messages: options.initialMessages } : {})
  // An unknown id throws here, where it was written. The decoder of an id is loaded with the
  // registry on the first request (see resolve-protocol.ts).
  let protocol: Protocol | undefined = loadedProtocol(options.protocol, 'createChat')
  const now = options.now ?? Date.now
  const idGenerator = options.idGenerator ?? defaultIdGenerator
  const retryOptions = options.retry === false ? undefined : (options.retry ?? defaultRetryOptions)
  const ownsTransport = typeof options.transport !== 'object'
  const transport: LazyTransport =
    typeof options.transport === 'object'
      ? options.transport
      : options.transport === 'websocket'
        ? createLazyTransport(true, async () =>
            (await import('./websocket-transport.ts')).createWebSocketTransport(
              options.cancelFrame
                ? { cancelFrame: options.cancelFrame, ...options.websocket }
                : options.websocket,
            ),
          )
        : options.transport === 'socketio'
          ? createLazyTransport(true, async () =>
              (await import('./socketio-transport.ts')).createSocketIoTransport(
                options.cancelFrame
                  ? { cancelFrame: options.cancelFrame, ...options.socketio }
                  : options.socketio,
              ),
            )
          : options.transport === 'eventsource'
            ? createLazyTransport(false, async () =>
                (await import('./event-source-transport.ts')).createEventSourceTransport(),
              )
            : options.resume
              ? // Loaded only when `resume` is on: it stays out of the first load otherwise.
                createLazyTransport(false, async () =>
                  (await import('./resume-stream.ts')).createResumableTransport({
                    resume: options.resume === true ? {} : (options.resume as ResumeOptions),
                    store,
                    ...(options.fetch ? { fetch: options.fetch } : {}),
                  }),
                )
              : // The default: its body reader (framers, the SSE parser) loads with the decoder on
                // the first send, in parallel with it (preloadTransport), out of the first load.
                createLazyTransport(false, async () =>
                  (await import('./fetch-transport.ts')).createFetchTransport(
                    options.fetch ? { fetch: options.fetch } : {},
                  ),
                )
  const batcher = createEventBatcher({
    apply: (events) => store.getState().apply(events),
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
  })
  /** The last SSE id received per message, for `resume()`. */
  const lastEventIds = new Map<string, string>()
  const requests = new Set<ActiveRequest>()
  let current: ActiveRequest | undefined

  // Messages a shared socket carries that belong to no request of ours (pushed by the server).
  let unsubscribe: (() => void) | undefined
  let connected = false
  function connect(): void {
    if (connected) return
    connected = true
    unsubscribe = transport.subscribe?.((event) => {
      batcher.push(event.at === undefined ? { ...event, at: now() } : event)
    })
    // After creation has finished (connect() may run inside it): follow an unfinished answer.
    if (options.resume) queueMicrotask(followOnConnect)
  }
  if (options.connect !== false) connect()
  /** `resume`: the conversation's last answer was still streaming when it was saved; follow it. */
  function followOnConnect(): void {
    const state = store.getState()
    const last = lastAssistant()
    if (current !== undefined || last === undefined || !shouldFollowOnConnect(last)) return
    void run(
      'resume',
      last.id,
      state.messageIds.slice(0, state.messageIds.indexOf(last.id)).map((id) => state.messages[id]!),
    )
  }

  // The agent loop (sendAutomaticallyWhen): how many automatic sends since the user's last
  // action, and whether the loop may go on (stop() and dispose() end it).
  let automaticSends = 0
  let loopOpen = true
  function userAction(): void {
    automaticSends = 0
    loopOpen = true
  }
  /** Whether the conversation should be sent again now, without user input. */
  function wantsAutomaticSend(): boolean {
    const when = options.sendAutomaticallyWhen
    if (when === undefined || !loopOpen || current !== undefined) return false
    if (automaticSends >= (options.maxAutomaticSends ?? 5)) return false
    return when(messages())
  }
  function automaticSend(): Promise<void> {
    automaticSends++
    return run('tool-results', idGenerator(), messages())
  }

  function messages(): Message[] {
    const state = store.getState()
    return state.messageIds.map((id) => state.messages[id]!)
  }

  function buildBody(history: readonly Message[], extra: object | undefined): Record<string, unknown> {
    const body: Record<string, unknown> = { ...defaultRequestBody(history) }
    const configured = typeof options.body === 'function' ? options.body(history) : options.body
    Object.assign(body, configured, extra)
    if (options.stream === false) body.stream = false
    return body
  }

  function buildHeaders(extra: Record<string, string> | undefined): Record<string, string> {
    const configured = typeof options.headers === 'function' ? options.headers() : options.headers
    return { ...configured, ...extra }
  }

  function stopRequest(request: ActiveRequest): void {
    if (request.stopped) return
    request.stopped = true
    // What arrived before the stop is kept; then the abort, applied at once.
    batcher.flush()
    request.controller.abort(new DOMException('The user stopped the answer.', 'AbortError'))
    batcher.push({ type: 'message-abort', messageId: request.messageId, at: now() })
  }

  function stop(): void {
    loopOpen = false
    for (const request of [...requests]) stopRequest(request)
    requests.clear()
    current = undefined
    store.getState().setStatus('idle')
  }

  function finishMetrics(messageId: string, recorder: MetricsRecorder): void {
    store.getState().updateMessage(messageId, (message) => {
      const metrics: MessageMetrics = recorder.finish(message.usage)
      return { ...message, metrics }
    })
  }

  /**
   * Run one request into `assistantId`. The placeholder is created (or reopened, for resume)
   * at once, before any byte arrives.
   */
  /** Take the first queued message off the queue and send it (nothing when the queue is empty). */
  async function sendNextQueued(id?: string): Promise<void> {
    const { queue } = store.getState()
    const next = id === undefined ? queue[0] : queue.find((queued) => queued.id === id)
    if (next === undefined) return
    store.getState().setQueue(queue.filter((queued) => queued !== next))
    if (current) stop()
    userAction()
    store.getState().upsertMessage({
      id: idGenerator(),
      role: 'user',
      status: 'complete',
      parts: userParts(next.text, next.files),
      createdAt: now(),
    })
    await run('send', idGenerator(), messages(), next.files ? { files: next.files } : {})
  }

  /** The store's selector of `messageId`'s versions, one per id (picker renders reuse it). */
  const branchSelectors = new Map<string, (state: ChatStoreState) => BranchInfo>()
  function branchInfo(messageId: string): BranchInfo {
    let select = branchSelectors.get(messageId)
    if (select === undefined) {
      if (branchSelectors.size > 5000) branchSelectors.clear()
      select = selectBranchInfo(messageId)
      branchSelectors.set(messageId, select)
    }
    return select(store.getState())
  }

  async function run(
    trigger: RequestTrigger,
    assistantId: string,
    history: readonly Message[],
    extra: SendOptions = {},
    lastEventId?: string,
  ): Promise<void> {
    connect()
    const request: ActiveRequest = {
      controller: new AbortController(),
      messageId: assistantId,
      stopped: false,
    }
    requests.add(request)
    current = request
    batcher.push({ type: 'message-start', messageId: assistantId, role: 'assistant', at: now() })
    batcher.flush()
    store.getState().setStatus('submitted')

    const signal = request.controller.signal
    const recorder = createMetricsRecorder(now)
    let statusStreaming = false
    const body = buildBody(history, extra.body)
    const headers = buildHeaders(extra.headers)
    function createTransportRequest(resolved: Protocol): TransportRequest {
      const transportRequest: TransportRequest = {
        api: options.api,
        trigger,
        messageId: assistantId,
        messages: history,
        body,
        headers,
        protocol: resolved,
        stream: options.stream ?? true,
        signal,
        observer: {
          byte() {
            recorder.byte()
            if (!statusStreaming && !request.stopped && current === request) {
              statusStreaming = true
              store.getState().setStatus('streaming')
            }
          },
          eventId(id) {
            if (!request.stopped) lastEventIds.set(request.messageId, id)
          },
        },
      }
      if (options.framing !== undefined) transportRequest.framing = options.framing
      if (options.inlineTags !== undefined) transportRequest.inlineTags = options.inlineTags
      if (lastEventId !== undefined) transportRequest.lastEventId = lastEventId
      if (options.firstByteTimeout !== undefined) transportRequest.firstByteTimeout = options.firstByteTimeout
      if (options.idleTimeout !== undefined) transportRequest.idleTimeout = options.idleTimeout
      if (options.maxBodyBytes !== undefined) transportRequest.maxBodyBytes = options.maxBodyBytes
      return transportRequest
    }
    let transportRequest = protocol === undefined ? undefined : createTransportRequest(protocol)

    let ending: ChatEvent | undefined
    let failure: Error | undefined
    for (let attempt = 0; ; attempt++) {
      try {
        if (transportRequest === undefined) {
          // A protocol given by id: its decoder arrives with the registry (once per page). A
          // chunk that fails to load fails this answer like a request would (message-error).
          transport.preload?.()
          protocol ??= await loadProtocol(options.protocol, 'createChat')
          if (request.stopped) break
          transportRequest = createTransportRequest(protocol)
        }
        ending = await consume(request, transportRequest, recorder)
        break
      } catch (error) {
        if (request.stopped || signal.aborted) break
        const retryable =
          error instanceof ChatRequestError &&
          !recorder.receivedBytes &&
          (error.kind === 'network' ||
            (error.kind === 'http' && retryableStatuses.has(error.error.status ?? 0)))
        if (retryable && retryOptions && attempt < retryOptions.attempts) {
          try {
            await sleep(retryDelay(retryOptions, attempt + 1, Math.random, error.retryAfter), signal)
            continue
          } catch {
            break
          }
        }
        failure = error instanceof Error ? error : new Error(String(error))
        const messageError: MessageError =
          error instanceof ChatRequestError ? error.error : { message: failure.message }
        // A failure after the answer began is a lost connection (partial content kept);
        // before that, or an HTTP error, the message is an error. A server that went silent
        // before its first byte (`firstByteTimeout`) is a stalled connection too, like `idleTimeout`.
        ending =
          error instanceof ChatRequestError &&
          error.kind !== 'http' &&
          (recorder.receivedBytes || error.code === 'first-byte-timeout')
            ? { type: 'message-interrupt', messageId: request.messageId, error: messageError, at: now() }
            : { type: 'message-error', messageId: request.messageId, error: messageError, at: now() }
        batcher.push(ending)
        break
      }
    }

    requests.delete(request)
    if (request.stopped) {
      finishMetrics(request.messageId, recorder)
      return
    }
    if (ending === undefined) {
      // The transport ended without saying how the answer ended: it was cut short.
      ending = {
        type: 'message-interrupt',
        messageId: request.messageId,
        error: {
          message: `The answer from ${options.api} ended before it was complete. Retry to get the rest.`,
        },
        at: now(),
      }
      batcher.push(ending)
    }
    batcher.flush()
    finishMetrics(request.messageId, recorder)
    const message = store.getState().messages[request.messageId]
    if (current === request) {
      current = undefined
      if (ending.type === 'message-end') store.getState().setStatus('idle')
      else store.getState().setStatus('error', failure ?? toError(message?.error, 'The answer failed.'))
    }
    if (ending.type === 'message-end') {
      if (message) options.onFinish?.(message)
      // Tool results recorded while the answer streamed: the loop goes on from here (results
      // that arrive later go on from addToolResult).
      if (wantsAutomaticSend()) await automaticSend()
      // The answer is done: the next queued message goes.
      else if (current === undefined) await sendNextQueued()
    } else {
      options.onError?.(failure ?? toError(message?.error, 'The answer failed.'), message)
    }
  }

  /** Read one attempt's events into the batcher; returns the event that ended the answer. */
  async function consume(
    request: ActiveRequest,
    transportRequest: TransportRequest,
    recorder: MetricsRecorder,
  ): Promise<ChatEvent | undefined> {
    const placeholderId = transportRequest.messageId
    let ending: ChatEvent | undefined
    for await (const received of transport.request(transportRequest)) {
      // Checked per event: an event already read when the user stopped is never applied.
      if (request.stopped) break
      let messageId = received.messageId
      if (!transport.keepsMessageIds) messageId = placeholderId
      else if (messageId !== request.messageId && messageId !== placeholderId) adopt(request, messageId)
      const event: ChatEvent = { ...received, messageId, at: received.at ?? now() }
      recorder.event(event)
      batcher.push(event)
      if (event.type === 'tool-call-end' && options.onToolCall)
        void runToolCall(event.messageId, event.toolCallId)
      if (isTerminalEvent(event) && event.messageId === request.messageId) ending = event
    }
    return ending
  }

  /**
   * A socket server named the answer with its own id: while the placeholder is still empty it
   * takes that id in its place (the same version of the same turn, even if the user switched to
   * another version meanwhile), or gives way to a message the chat already has under that id;
   * stop and resume follow the server's id.
   */
  function adopt(request: ActiveRequest, messageId: string): void {
    batcher.flush()
    const state = store.getState()
    const placeholder = ownValue(state.messages, request.messageId)
    if (placeholder && placeholder.parts.length === 0) {
      if (hasOwnKey(state.messages, messageId)) state.removeMessage(request.messageId)
      else state.renameMessage(request.messageId, messageId)
    }
    request.messageId = messageId
  }

  async function runToolCall(messageId: string, toolCallId: string): Promise<void> {
    batcher.flush()
    const message = store.getState().messages[messageId]
    const part = message?.parts.find(
      (candidate): candidate is ToolCallPart =>
        candidate.type === 'tool-call' && candidate.toolCallId === toolCallId,
    )
    if (!message || !part || part.state !== 'input-available') return
    try {
      const output = await options.onToolCall!(part, message)
      if (output !== undefined) addToolResult({ toolCallId, output })
    } catch (error) {
      addToolResult({ toolCallId, errorText: error instanceof Error ? error.message : String(error) })
    }
  }

  function addToolResult(
    result: { toolCallId: string; output: unknown } | { toolCallId: string; errorText: string },
  ): void {
    batcher.flush()
    const state = store.getState()
    for (let index = state.messageIds.length - 1; index >= 0; index--) {
      const message = state.messages[state.messageIds[index]!]!
      const found = message.parts.some(
        (part) => part.type === 'tool-call' && part.toolCallId === result.toolCallId,
      )
      if (!found) continue
      const event: ChatEvent =
        'errorText' in result
          ? {
              type: 'tool-error',
              messageId: message.id,
              toolCallId: result.toolCallId,
              errorText: result.errorText,
              at: now(),
            }
          : {
              type: 'tool-result',
              messageId: message.id,
              toolCallId: result.toolCallId,
              output: result.output,
              at: now(),
            }
      state.apply([event])
      if (wantsAutomaticSend()) void automaticSend()
      return
    }
    throw new Error(
      `addToolResult: no message has a tool call with id "${result.toolCallId}". Pass the toolCallId of a tool-call part in the conversation.`,
    )
  }

  function lastAssistant(): Message | undefined {
    const state = store.getState()
    for (let index = state.messageIds.length - 1; index >= 0; index--) {
      const message = state.messages[state.messageIds[index]!]!
      if (message.role === 'assistant') return message
      if (message.role === 'user') return undefined
    }
    return undefined
  }

  /** Remove `message` and everything after it; returns the history before it. */
  function truncateAt(message: Message): Message[] {
    const state = store.getState()
    const index = state.messageIds.indexOf(message.id)
    const previous = state.messageIds[index - 1]
    if (previous === undefined) store.getState().setMessages([])
    else store.getState().removeMessagesAfter(previous)
    return messages()
  }

  return {
    store,
    async send(text, sendOptions) {
      if (current && options.queue) {
        const queued: QueuedMessage = { id: idGenerator(), text }
        if (sendOptions?.files) queued.files = sendOptions.files
        store.getState().setQueue([...store.getState().queue, queued])
        return
      }
      if (current) stop()
      userAction()
      store.getState().upsertMessage({
        id: idGenerator(),
        role: 'user',
        status: 'complete',
        parts: userParts(text, sendOptions?.files),
        createdAt: now(),
      })
      await run('send', idGenerator(), messages(), sendOptions)
    },
    stop,
    async regenerate(messageId) {
      let last: Message | undefined
      if (messageId === undefined) last = lastAssistant()
      else {
        const target = ownValue(store.getState().messages, messageId)
        if (target === undefined || target.role !== 'assistant') {
          throw new Error(
            `regenerate: ${target === undefined ? `no message has the id "${messageId}"` : `message "${messageId}" is ${target.role === 'assistant' ? 'an' : 'a'} ${target.role} message`}. Pass the id of an answer (an assistant message), or no id for the last answer.`,
          )
        }
        last = target
      }
      if (current) stop()
      userAction()
      batcher.flush()
      // The earlier answer stays as a version: the new one is its sibling.
      if (last) store.getState().openBranchBeside(last.id)
      const history = messages()
      if (history.length === 0) {
        throw new Error('regenerate: the conversation is empty. Send a message first.')
      }
      await run('regenerate', idGenerator(), history)
    },
    async edit(messageId, text, sendOptions) {
      const state = store.getState()
      const target = ownValue(state.messages, messageId)
      if (target === undefined || target.role !== 'user') {
        throw new Error(
          `edit: ${target === undefined ? `no message has the id "${messageId}"` : `message "${messageId}" is ${target.role === 'assistant' ? 'an' : 'a'} ${target.role} message`}. Pass the id of a user message in the conversation.`,
        )
      }
      if (current) stop()
      userAction()
      batcher.flush()
      store.getState().openBranchBeside(messageId)
      store.getState().upsertMessage({
        id: idGenerator(),
        role: 'user',
        status: 'complete',
        parts: userParts(text, sendOptions?.files),
        createdAt: now(),
      })
      await run('send', idGenerator(), messages(), sendOptions)
    },
    branches: branchInfo,
    switchBranch(messageId, to) {
      const info = branchInfo(messageId)
      const index =
        to === 'previous' ? info.index - 1 : to === 'next' ? info.index + 1 : Math.trunc(Number(to))
      const target = info.siblingIds[index]
      if (target === undefined) return
      batcher.flush()
      store.getState().showBranch(target)
    },
    updateQueued(id, text) {
      const { queue } = store.getState()
      if (!queue.some((queued) => queued.id === id)) return
      store.getState().setQueue(queue.map((queued) => (queued.id === id ? { ...queued, text } : queued)))
    },
    removeQueued(id) {
      const { queue } = store.getState()
      if (queue.some((queued) => queued.id === id))
        store.getState().setQueue(queue.filter((queued) => queued.id !== id))
    },
    moveQueued(id, toIndex) {
      const queue = [...store.getState().queue]
      const from = queue.findIndex((queued) => queued.id === id)
      if (from === -1) return
      const [moved] = queue.splice(from, 1)
      const target = Math.min(Math.max(Math.trunc(Number(toIndex) || 0), 0), queue.length)
      queue.splice(target, 0, moved!)
      store.getState().setQueue(queue)
    },
    sendQueuedNow: (id) => sendNextQueued(id),
    clearQueue() {
      if (store.getState().queue.length > 0) store.getState().setQueue([])
    },
    setFeedback(messageId, feedback) {
      const state = store.getState()
      const target = ownValue(state.messages, messageId)
      if (target === undefined) {
        throw new Error(
          `setFeedback: no message has the id "${messageId}". Pass the id of an answer in the conversation.`,
        )
      }
      if (target.feedback === feedback) return
      state.updateMessage(messageId, (message) => {
        if (feedback !== undefined) return { ...message, feedback }
        const { feedback: _cleared, ...rest } = message
        return rest
      })
      const updated = ownValue(store.getState().messages, messageId)
      if (updated) options.onFeedback?.(updated, feedback)
    },
    async retry() {
      if (current) stop()
      userAction()
      const last = lastAssistant()
      if (
        !last ||
        !(last.status === 'error' || last.status === 'interrupted' || last.status === 'cancelled')
      ) {
        throw new Error(
          `retry: the last assistant message${last ? ` "${last.id}" is ${last.status}` : ' does not exist'}; only an errored, interrupted or cancelled answer can be retried. Use regenerate() to ask again.`,
        )
      }
      lastEventIds.delete(last.id)
      const history = truncateAt(last)
      await run('retry', last.id, history)
    },
    canResume() {
      const last = lastAssistant()
      return last !== undefined && last.status === 'interrupted' && lastEventIds.has(last.id)
    },
    async resume() {
      if (current) stop()
      userAction()
      const last = lastAssistant()
      const lastEventId = last ? lastEventIds.get(last.id) : undefined
      if (last?.status !== 'interrupted' || lastEventId === undefined) {
        throw new Error(
          last?.status === 'interrupted'
            ? `resume: the server sent no SSE ids for message "${last.id}", so there is nothing to resume from. Use retry() to ask again.`
            : 'resume: the last assistant message is not interrupted. Only an answer whose connection was lost can be resumed.',
        )
      }
      const state = store.getState()
      const history = state.messageIds
        .slice(0, state.messageIds.indexOf(last.id))
        .map((id) => state.messages[id]!)
      // `message-start` on an interrupted message reopens it with its content, so the resumed
      // stream continues the same text.
      await run('resume', last.id, history, {}, lastEventId)
    },
    addToolResult,
    connect,
    setMessages(list, setOptions) {
      if (!setOptions?.keepStreaming) stop()
      else if (current) {
        // The running answer goes on without the chat's status: it no longer describes it.
        current = undefined
        store.getState().setStatus('idle')
      }
      batcher.flush()
      store.getState().setMessages(list)
      // `resume`: a conversation loaded after creation (saved history arriving from a server)
      // whose last answer was still streaming is followed, as one given at creation is.
      if (options.resume && !setOptions?.keepStreaming) queueMicrotask(followOnConnect)
    },
    dispose(disposeOptions) {
      loopOpen = false
      if (!disposeOptions?.keepStreaming) {
        stop()
        unsubscribe?.()
        unsubscribe = undefined
        connected = false
        if (ownsTransport) transport.close?.()
      }
      batcher.flush()
    },
    getState: () => store.getState(),
  }
}
