/**
 * Live metrics for the message being answered: time to first byte and first token, tokens per
 * second, network chunks and store commits per second, measured from outside the kit (the
 * chat's store and its `fetch` option), so the panel shows what an app would see.
 *
 * When the answer ends, the controller's own `message.metrics` (exact chunk and delta counts,
 * usage-based tokens/s) replace the live estimates.
 *
 * @module
 */
import type { ChatStore, ChatStoreState, Message, MessageMetrics } from '@sluice/core'

/** A snapshot of the current request's metrics. */
export interface LiveMetricsSnapshot {
  messageId?: string
  status?: Message['status']
  /** `performance.now()` values. */
  startedAt?: number
  firstByteAt?: number
  firstTokenAt?: number
  endedAt?: number
  /** Token-sized pieces received so far (an estimate: words and punctuation). */
  tokens: number
  /** Network chunks read (fetch transport only while streaming). */
  chunks: number
  /** Store commits that changed the message (each is one React render of it). */
  commits: number
  /** Commits in the last second. */
  recentCommits: number
  /** The controller's figures, once the message ended. */
  final?: MessageMetrics
}

/** Token-sized pieces: a word or a run of punctuation, with the whitespace before it. */
const tokenPattern = /\s*[\p{L}\p{N}_]+|\s*[^\s\p{L}\p{N}_]+/gu

function countTokens(text: string): number {
  let count = 0
  for (const _ of text.matchAll(tokenPattern)) count++
  return count
}

/** The streamed text of each part, to count only what each commit appended. */
function partTexts(message: Message): string[] {
  return message.parts.map((part) => {
    if (part.type === 'text' || part.type === 'reasoning') return part.text
    if (part.type === 'tool-call') return part.inputText
    return ''
  })
}

const terminal = new Set<Message['status']>(['complete', 'cancelled', 'error', 'interrupted'])

/** The live metrics of one chat, as a tiny external store for `useSyncExternalStore`. */
export interface LiveMetrics {
  subscribe(listener: () => void): () => void
  getSnapshot(): LiveMetricsSnapshot
  /** Follow this chat's store (the open conversation); returns the unsubscribe function. */
  track(store: ChatStore): () => void
  /** A wrapped `fetch` that counts the response body's chunks (pass it as the chat's `fetch`). */
  fetch: typeof fetch
}

/**
 * Create the recorder.
 *
 * @example
 * ```ts
 * const metrics = createLiveMetrics()
 * const stop = metrics.track(chat.store)
 * ```
 */
export function createLiveMetrics(now: () => number = () => performance.now()): LiveMetrics {
  const listeners = new Set<() => void>()
  let snapshot: LiveMetricsSnapshot = { tokens: 0, chunks: 0, commits: 0, recentCommits: 0 }
  let commitTimes: number[] = []
  let previousTexts: string[] = []
  let notifyScheduled = false

  function publish(next: LiveMetricsSnapshot): void {
    snapshot = next
    // One panel render per frame at most, however many commits or chunks arrive.
    if (notifyScheduled) return
    notifyScheduled = true
    requestAnimationFrame(() => {
      notifyScheduled = false
      for (const listener of listeners) listener()
    })
  }

  function onState(state: ChatStoreState, previous: ChatStoreState): void {
    const time = now()
    if (state.status === 'submitted' && previous.status !== 'submitted') {
      const messageId = state.messageIds.at(-1)
      commitTimes = []
      previousTexts = []
      publish({
        ...(messageId === undefined ? {} : { messageId }),
        startedAt: time,
        tokens: 0,
        chunks: 0,
        commits: 0,
        recentCommits: 0,
      })
      return
    }
    const messageId = snapshot.messageId
    if (messageId === undefined) return
    let next = snapshot
    if (state.status === 'streaming' && previous.status !== 'streaming' && next.firstByteAt === undefined) {
      next = { ...next, firstByteAt: time }
    }
    const message = state.messages[messageId]
    if (message !== undefined && message !== previous.messages[messageId]) {
      const texts = partTexts(message)
      let appended = 0
      texts.forEach((text, index) => {
        const before = previousTexts[index] ?? ''
        if (text.length > before.length && text.startsWith(before))
          appended += countTokens(text.slice(before.length))
        else if (text !== before) appended += countTokens(text)
      })
      previousTexts = texts
      commitTimes.push(time)
      commitTimes = commitTimes.filter((at) => time - at <= 1000)
      next = {
        ...next,
        status: message.status,
        tokens: next.tokens + appended,
        commits: next.commits + 1,
        recentCommits: commitTimes.length,
      }
      if (appended > 0 && next.firstTokenAt === undefined) next.firstTokenAt = time
      if (terminal.has(message.status) && next.endedAt === undefined) next.endedAt = time
      if (message.metrics !== undefined) next.final = message.metrics
    }
    if (next !== snapshot) publish(next)
  }

  const countingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init)
    if (response.body === null) return response
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        publish({ ...snapshot, chunks: snapshot.chunks + 1 })
        controller.enqueue(chunk)
      },
    })
    return new Response(response.body.pipeThrough(counter), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    })
  }

  return {
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    getSnapshot: () => snapshot,
    track(store) {
      snapshot = { tokens: 0, chunks: 0, commits: 0, recentCommits: 0 }
      for (const listener of listeners) listener()
      return store.subscribe(onState)
    },
    fetch: countingFetch,
  }
}
