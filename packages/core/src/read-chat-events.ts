/**
 * The stream entry point: bytes in, {@link ChatEvent}s out.
 *
 * @module
 */
import type { ChatEvent } from './events.ts'
import { createFramer } from './framing/create-framer.ts'
import { createTextChunkDecoder } from './framing/create-text-chunk-decoder.ts'
import { StreamFramingError } from './framing/stream-framing-error.ts'
import type { InlineTagTransform } from './inline-tags.ts'
import type { Frame, Framing, Protocol, ProtocolDecoder, ProtocolId } from './protocol.ts'
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

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
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

  function decodeFrames(frames: readonly Frame[]): ChatEvent[] {
    // Most chunks complete one frame: hand its events on without copying.
    if (frames.length === 1) return finish(decoder.decode(frames[0]!))
    const events: ChatEvent[] = []
    for (const frame of frames) for (const event of decoder.decode(frame)) events.push(event)
    return finish(events)
  }

  /** Apply inline tags and note which messages the events belong to and which ended. */
  function finish(decoded: ChatEvent[]): ChatEvent[] {
    let events = decoded
    if (inlineTags) {
      events = []
      for (const event of decoded) for (const made of inlineTags.transform(event)) events.push(made)
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
    return events
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
          const flushed = inlineTags ? inlineTags.end() : []
          yield [
            ...flushed,
            {
              type: 'message-interrupt',
              messageId: lastMessageId,
              error: {
                code: 'stream-interrupted',
                message: `The stream was cut off before it finished (${errorMessage(error)}). The partial answer is kept; retry to get the rest.`,
              },
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
      const events = decodeFrames(frames)
      if (events.length > 0) yield events
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
    const events = [...decodeFrames(frames), ...finish(decoder.end())]
    if (inlineTags) for (const event of inlineTags.end()) events.push(event)
    if (events.length > 0) yield events
  } finally {
    signal?.removeEventListener('abort', onAbort)
    // The consumer stopped early (break, return, a throw in its loop) or decoding threw:
    // stop the source so the server sees it (fetch aborts the request).
    if (!sourceDone) await reader.cancel(undefined, readPending).catch(() => undefined)
  }

  /** Framing overflowed: the frames before it still count, then the message fails with the framing error. */
  function* framingFailed(error: StreamFramingError): Generator<ChatEvent[], void, undefined> {
    const events = [...decodeFrames(error.frames)]
    if (inlineTags) for (const event of inlineTags.end()) events.push(event)
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
