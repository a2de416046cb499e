/**
 * The stream entry point: bytes in, {@link ChatEvent}s out.
 *
 * @module
 */

import { ChatRequestError } from './chat/transport.ts'
import { ChatStreamError, describeThrown } from './chat-stream-error.ts'
import type { ChatEvent } from './events.ts'
import { createFramer } from './framing/create-framer.ts'
import { createTextChunkDecoder } from './framing/create-text-chunk-decoder.ts'
import { StreamFramingError } from './framing/stream-framing-error.ts'
import type { InlineTagTransform } from './inline-tags.ts'
import type { Frame, Framing, Protocol, ProtocolDecoder, ProtocolId } from './protocol.ts'
import { withIndefiniteArticle } from './protocols/json-frame.ts'
import { loadedProtocol, loadProtocol } from './resolve-protocol.ts'

/** What `readChatEvents` and `collectMessage` read: a response body, or any async iterable of chunks. */
export type ChatEventSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>

/** Options of `readChatEvents` and `collectMessage`. */
export interface ReadChatEventsOptions {
  /** How the bytes are cut into frames; defaults to the protocol's own framing. */
  framing?: Framing
  /** Turn `<think>` / `<thinking>` and `<tool_call>` tags inside the text into reasoning and tool calls. */
  inlineTags?: boolean
  /** Stops reading and cancels the source; the iteration then throws `signal.reason`. */
  signal?: AbortSignal
  /** The id for the message when the wire names none (passed to the decoder). */
  messageId?: string
  /** Cap on one unfinished line or SSE event, in characters (default 8 MiB); see `StreamFramingError`. */
  maxBufferSize?: number
}

/** One read from the source: pull-based, cancellable. */
interface ChunkReader {
  read(): Promise<IteratorResult<Uint8Array | string>>
  /** Stop the source. `pending` says a read is still outstanding (do not wait on the source then). */
  cancel(reason: unknown, pending: boolean): Promise<void>
  /** Let go of the source after it ended or failed by itself. */
  release(): void
}

function isReadableStream(source: ChatEventSource): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream<Uint8Array>).getReader === 'function'
}

function openReader(source: ChatEventSource): ChunkReader {
  if (isReadableStream(source)) {
    const reader = source.getReader()
    return {
      read: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
      // Cancelling through the reader reaches the underlying source (fetch aborts the request)
      // and settles a pending read with `done`.
      async cancel(reason) {
        try {
          await reader.cancel(reason)
        } finally {
          reader.releaseLock()
        }
      },
      release: () => reader.releaseLock(),
    }
  }
  const iterator = source[Symbol.asyncIterator]()
  return {
    read: () => iterator.next(),
    async cancel(reason, pending) {
      // An async generator queues return() behind a pending next(): waiting could hang forever.
      const returned = iterator.return?.(reason)
      if (pending) returned?.catch(() => undefined)
      else await returned
    },
    release() {},
  }
}

/** The inline-tag parser, loaded the first time a stream asks for it (most apps never do). */
let inlineTagsModule: typeof import('./inline-tags.ts') | undefined

async function createInlineTags(): Promise<InlineTagTransform> {
  inlineTagsModule ??= await import('./inline-tags.ts')
  return inlineTagsModule.createInlineTagTransform()
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError')
}

/**
 * Why the source failed, as the interrupt's error. A transport that knows the cause (a timeout
 * it enforces) throws a `ChatRequestError` of kind `interrupted` whose message says it all.
 */
function interruptError(error: unknown): { code: string; message: string } {
  if (error instanceof ChatRequestError && error.kind === 'interrupted') {
    return { code: error.error.code ?? 'stream-interrupted', message: error.error.message }
  }
  const reason = error instanceof Error ? error.message : describeThrown(error)
  return {
    code: 'stream-interrupted',
    message: `The stream was cut off before it finished (${reason}). The partial answer is kept; retry to get the rest.`,
  }
}

/**
 * Read a stream as batches of events: one batch per source chunk that produced any (plus the
 * end). Same behaviour as {@link readChatEvents}; for callers that apply events in batches
 * (one `reduceChat` call per batch instead of per event).
 *
 * @example
 * ```ts
 * let state = initialChatState
 * for await (const batch of readChatEventBatches(response.body!, 'anthropic')) {
 *   state = reduceChat(state, batch)
 * }
 * ```
 */
export async function* readChatEventBatches(
  source: ChatEventSource,
  protocol: Protocol | ProtocolId,
  options: ReadChatEventsOptions = {},
): AsyncGenerator<ChatEvent[], void, undefined> {
  // An object is used as given; an id is checked first and its decoder comes from the
  // registry, loaded on first use (see resolve-protocol.ts) and synchronous after that.
  const resolved = loadedProtocol(protocol) ?? (await loadProtocol(protocol))
  // Loaded (when needed) before the abort check below, so an abort during the load is seen.
  const inlineTags = options.inlineTags
    ? (inlineTagsModule?.createInlineTagTransform() ?? (await createInlineTags()))
    : undefined
  const framing = options.framing ?? resolved.framing
  const signal = options.signal
  signal?.throwIfAborted()

  const decoder: ProtocolDecoder = resolved.createDecoder(
    options.messageId === undefined ? {} : { messageId: options.messageId },
  )
  const framer = createFramer(framing, {
    ...(options.maxBufferSize === undefined ? {} : { maxBufferSize: options.maxBufferSize }),
    ...(resolved.readsRawLines ? { rawLines: true } : {}),
  })
  const textDecoder = createTextChunkDecoder()
  // Each `frames` item is one whole message: decode it alone, never joined to its neighbours.
  const wholeDecoder = framing === 'frames' ? new TextDecoder() : undefined

  // The message the stream is about, for the error or interrupt that reading itself may add.
  let lastMessageId = options.messageId
  const endedMessages = new Set<string>()

  /**
   * Events decoded from frames, plus what any decoder or inline-tag throw left behind. A throw
   * is caught here, once for every protocol: the events before it are kept and the caller ends
   * the message with a `message-error` instead of losing the chunk and rejecting.
   */
  interface Decoded {
    events: ChatEvent[]
    failure?: { cause: unknown }
  }

  function decodeFrames(frames: readonly Frame[]): Decoded {
    // Most chunks complete one frame: hand its events on without copying.
    if (frames.length === 1) {
      try {
        return finish(decoder.decode(frames[0]!))
      } catch (cause) {
        return { events: [], failure: { cause } }
      }
    }
    const events: ChatEvent[] = []
    for (const frame of frames) {
      try {
        for (const event of decoder.decode(frame)) events.push(event)
      } catch (cause) {
        return withFailure(finish(events), cause)
      }
    }
    return finish(events)
  }

  function decodeEnd(): Decoded {
    try {
      return finish(decoder.end())
    } catch (cause) {
      return { events: [], failure: { cause } }
    }
  }

  function withFailure(decoded: Decoded, cause: unknown): Decoded {
    return decoded.failure ? decoded : { events: decoded.events, failure: { cause } }
  }

  /** Apply inline tags and note which messages the events belong to and which ended. */
  function finish(decoded: ChatEvent[]): Decoded {
    let events = decoded
    let failure: Decoded['failure']
    if (inlineTags) {
      events = []
      try {
        for (const event of decoded) for (const made of inlineTags.transform(event)) events.push(made)
      } catch (cause) {
        failure = { cause }
      }
    }
    const last = events[events.length - 1]
    if (last) {
      lastMessageId = last.messageId
      for (const event of events) {
        const type = event.type
        if (
          type === 'message-end' ||
          type === 'message-error' ||
          type === 'message-abort' ||
          type === 'message-interrupt'
        ) {
          endedMessages.add(event.messageId)
        }
      }
    }
    return failure ? { events, failure } : { events }
  }

  /** The inline-tag transform's held-back text, or nothing when the transform itself fails. */
  function endInlineTags(): ChatEvent[] {
    if (!inlineTags) return []
    try {
      return inlineTags.end()
    } catch {
      return []
    }
  }

  /**
   * A decoder threw: the events before the throw, then a `message-error` naming the protocol, so
   * the partial answer is kept. With no message to carry it, a typed `ChatStreamError`.
   */
  function* decoderFailed(decoded: Decoded): Generator<ChatEvent[], void, undefined> {
    const events = decoded.events
    for (const event of endInlineTags()) events.push(event)
    const message =
      `The ${resolved.id} decoder failed on the stream (${describeThrown(decoded.failure?.cause)}). ` +
      `The answer up to that point is kept. Check that the server sends ${withIndefiniteArticle(resolved.id)} stream in ${framing} framing; ` +
      'if it does, report this stream as a Sluice bug.'
    if (lastMessageId === undefined) {
      if (events.length > 0) yield events
      throw new ChatStreamError(message, {
        code: 'decoder-error',
        protocol: resolved.id,
        cause: decoded.failure?.cause,
      })
    }
    if (!endedMessages.has(lastMessageId)) {
      events.push({
        type: 'message-error',
        messageId: lastMessageId,
        error: { code: 'decoder-error', message },
      })
    }
    yield events
  }

  const reader = openReader(source)
  let readPending = false
  let sourceDone = false
  let rejectRead: ((reason: unknown) => void) | undefined
  const onAbort = (): void => {
    const reason = abortReason(signal!)
    rejectRead?.(reason)
    void reader.cancel(reason, readPending).catch(() => undefined)
    sourceDone = true
  }
  signal?.addEventListener('abort', onAbort, { once: true })

  // One promise per read that an abort can settle at once, even when the source never answers.
  // (Racing every read against one shared abort promise would pile up reactions on it.)
  function read(): Promise<IteratorResult<Uint8Array | string>> {
    if (!signal) return reader.read()
    return new Promise((resolve, reject) => {
      rejectRead = reject
      readPending = true
      reader.read().then(
        (result) => {
          readPending = false
          resolve(result)
        },
        (error: unknown) => {
          readPending = false
          reject(error)
        },
      )
    })
  }

  try {
    while (true) {
      let result: IteratorResult<Uint8Array | string>
      try {
        result = await read()
      } catch (error) {
        if (signal?.aborted) throw abortReason(signal)
        sourceDone = true
        reader.release()
        // The connection broke mid-stream. Keep the partial answer: the message is interrupted,
        // which a caller can retry or resume. With no message to attach it to, the error is all there is.
        if (lastMessageId === undefined) throw error
        if (!endedMessages.has(lastMessageId)) {
          const flushed = endInlineTags()
          yield [
            ...flushed,
            {
              type: 'message-interrupt',
              messageId: lastMessageId,
              error: interruptError(error),
            },
          ]
        }
        return
      }
      if (signal?.aborted) throw abortReason(signal)
      if (result.done) {
        sourceDone = true
        reader.release()
        break
      }
      const chunk = result.value
      const text = wholeDecoder
        ? typeof chunk === 'string'
          ? chunk
          : wholeDecoder.decode(chunk)
        : textDecoder.decode(chunk)
      let frames: Frame[]
      try {
        frames = framer.push(text)
      } catch (error) {
        if (!(error instanceof StreamFramingError)) throw error
        yield* framingFailed(error)
        return
      }
      if (frames.length === 0) continue
      const decoded = decodeFrames(frames)
      if (decoded.failure) {
        yield* decoderFailed(decoded)
        return
      }
      if (decoded.events.length > 0) yield decoded.events
    }

    let frames: Frame[]
    try {
      frames = framer.push(textDecoder.end())
      frames.push(...framer.end())
    } catch (error) {
      if (!(error instanceof StreamFramingError)) throw error
      yield* framingFailed(error)
      return
    }
    const decoded = decodeFrames(frames)
    if (!decoded.failure) {
      const ended = decodeEnd()
      for (const event of ended.events) decoded.events.push(event)
      if (ended.failure) decoded.failure = ended.failure
    }
    if (decoded.failure) {
      yield* decoderFailed(decoded)
      return
    }
    const events = decoded.events
    for (const event of endInlineTags()) events.push(event)
    if (events.length > 0) yield events
  } finally {
    signal?.removeEventListener('abort', onAbort)
    // The consumer stopped early (break, return, a throw in its loop) or decoding threw:
    // stop the source so the server sees it (fetch aborts the request).
    if (!sourceDone) await reader.cancel(undefined, readPending).catch(() => undefined)
  }

  /** Framing overflowed: the frames before it still count, then the message fails with the framing error. */
  function* framingFailed(error: StreamFramingError): Generator<ChatEvent[], void, undefined> {
    const decoded = decodeFrames(error.frames)
    if (decoded.failure) {
      yield* decoderFailed(decoded)
      return
    }
    const events = decoded.events
    for (const event of endInlineTags()) events.push(event)
    if (lastMessageId === undefined) {
      if (events.length > 0) yield events
      throw error
    }
    events.push({
      type: 'message-error',
      messageId: lastMessageId,
      error: { code: error.code, message: error.message },
    })
    yield events
  }
}

/**
 * Read a streamed response as {@link ChatEvent}s.
 *
 * - `protocol` is a `Protocol` or its id (`'openai-chat'`, `'anthropic'`, …); `framing`
 *   overrides the protocol's own (an agent backend may send the same JSON as SSE, NDJSON or
 *   WebSocket frames). An id loads the registry of every decoder on first use (a lazy chunk
 *   when the app's bundler splits code); pass the object (`anthropicProtocol`) to bundle only
 *   that decoder. An unknown id fails on the first read.
 * - Pull-based: the source is read only as fast as the loop consumes events, so a slow consumer
 *   pushes back on the network. Leaving the loop early cancels the source.
 * - Abort: when `signal` aborts, reading stops at once (even mid-read), the source is cancelled,
 *   and the iteration **throws** `signal.reason` (an `AbortError` unless you gave a reason). No
 *   event is emitted for the abort: the caller that aborted records it (a `message-abort`).
 * - A source that fails mid-stream (connection lost) ends the iteration with a
 *   `message-interrupt` for the message in progress, keeping its partial content; if no message
 *   had started, the source's error is thrown.
 * - A line or SSE event longer than `maxBufferSize` ends with the events decoded so far and a
 *   `message-error` (code `buffer-overflow`) instead of growing memory without limit.
 * - At the end of the source, the pending frame is flushed and the decoder's `end()` runs (a
 *   stream cut short before its terminal event gives a `message-interrupt`).
 *
 * @example
 * ```ts
 * const response = await fetch('/v1/chat/completions', { method: 'POST', body, signal })
 * for await (const event of readChatEvents(response.body!, 'openai-chat', { signal })) {
 *   if (event.type === 'text-delta') process.stdout.write(event.delta)
 * }
 * ```
 */
export function readChatEvents(
  source: ChatEventSource,
  protocol: Protocol | ProtocolId,
  options: ReadChatEventsOptions = {},
): AsyncIterableIterator<ChatEvent> {
  const signal = options.signal
  const batches = readChatEventBatches(source, protocol, options)
  let batch: readonly ChatEvent[] = []
  let index = 0
  let finished = false
  let pending: Promise<IteratorResult<ChatEvent, undefined>> | undefined
  const done: IteratorResult<ChatEvent, undefined> = { done: true, value: undefined }

  async function stop(): Promise<void> {
    finished = true
    batch = []
    // Runs the batch reader's cleanup: the source is cancelled unless it already ended.
    await batches.return(undefined)
  }

  async function nextBatch(): Promise<IteratorResult<ChatEvent, undefined>> {
    try {
      while (true) {
        const result = await batches.next()
        if (result.done) {
          finished = true
          return done
        }
        if (result.value.length === 0) continue
        batch = result.value
        index = 1
        return { done: false, value: batch[0]! }
      }
    } catch (error) {
      finished = true
      throw error
    }
  }

  // A plain iterator over the batches rather than an async generator: handing out an event of
  // the current batch costs one settled promise, where a generator's yield costs several
  // microtask turns per event (see test/bench).
  const iterator: AsyncIterableIterator<ChatEvent> = {
    next() {
      // Calls that overlap wait their turn, as they would on an async generator.
      if (pending) return pending.then(() => iterator.next())
      if (index < batch.length) {
        if (signal?.aborted) {
          const reason = abortReason(signal)
          return stop().then(() => Promise.reject(reason))
        }
        const event = batch[index]!
        index += 1
        return Promise.resolve({ done: false, value: event })
      }
      if (finished) return Promise.resolve(done)
      const started = nextBatch()
      pending = started
      const clear = (): void => {
        if (pending === started) pending = undefined
      }
      started.then(clear, clear)
      return started
    },
    async return() {
      if (!finished) await stop()
      return done
    },
    [Symbol.asyncIterator]() {
      return iterator
    },
  }
  return iterator
}
