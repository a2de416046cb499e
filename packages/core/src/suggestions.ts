/**
 * Suggested follow-ups from the stream: a `data` part named `suggestions` on an answer
 * (the AI SDK's `data-suggestions` chunk, an AG-UI `CUSTOM` event named `suggestions`, or any
 * protocol's data event with that name), read as at most {@link maxSuggestions} short strings.
 *
 * The data comes from the model or the backend, so it is checked, never trusted: only strings
 * (or `{ text }` / `{ label }` records) count, each trimmed, at most
 * {@link maxSuggestionLength} characters (longer ones are dropped, not cut: a cut prompt would
 * send something nobody suggested), duplicates and empty ones skipped, no recursion.
 *
 * @example
 * ```ts
 * import { selectSuggestions } from '@sluice/core'
 * const suggestions = selectSuggestions(chat.getState()) // ['Tell me more', 'Give an example']
 * ```
 * @module
 */
import type { Message } from './message.ts'
import { ownValue } from './safety/records.ts'
import type { ChatStoreState } from './store.ts'

/** The data part name suggestions travel under. */
export const suggestionsDataName = 'suggestions'

/** At most this many suggestions are read from one answer. */
export const maxSuggestions = 10

/** A suggestion longer than this (in UTF-16 code units, after trimming) is dropped. */
export const maxSuggestionLength = 200

const noSuggestions: readonly string[] = Object.freeze([])

function suggestionText(item: unknown): string | undefined {
  if (typeof item === 'string') return item
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined
  const text = Object.hasOwn(item, 'text') ? (item as { text: unknown }).text : undefined
  if (typeof text === 'string') return text
  const label = Object.hasOwn(item, 'label') ? (item as { label: unknown }).label : undefined
  return typeof label === 'string' ? label : undefined
}

/**
 * Read suggestions from a data part's value: an array, or a record whose own `suggestions`
 * property is one. Anything else gives none.
 *
 * @example
 * ```ts
 * parseSuggestions(['Tell me more', { text: 'Give an example' }, 42]) // ['Tell me more', 'Give an example']
 * parseSuggestions({ suggestions: ['Why?'] }) // ['Why?']
 * ```
 */
export function parseSuggestions(data: unknown): readonly string[] {
  let list: unknown = data
  if (
    typeof data === 'object' &&
    data !== null &&
    !Array.isArray(data) &&
    Object.hasOwn(data, 'suggestions')
  ) {
    list = (data as { suggestions: unknown }).suggestions
  }
  if (!Array.isArray(list)) return noSuggestions
  const result: string[] = []
  const seen = new Set<string>()
  // Bounded however long the wire's array is: stop after enough candidates were looked at.
  const candidates = Math.min(list.length, maxSuggestions * 10)
  for (let index = 0; index < candidates && result.length < maxSuggestions; index++) {
    const text = suggestionText(list[index])?.trim()
    if (text === undefined || text === '' || text.length > maxSuggestionLength || seen.has(text)) continue
    seen.add(text)
    result.push(text)
  }
  return result.length === 0 ? noSuggestions : result
}

/**
 * The suggestions a message carries: the last `data` part named `suggestions`.
 *
 * @example
 * ```ts
 * suggestionsOf(answer) // ['Tell me more']
 * ```
 */
export function suggestionsOf(message: Message): readonly string[] {
  for (let index = message.parts.length - 1; index >= 0; index--) {
    const part = message.parts[index]!
    if (part.type === 'data' && part.name === suggestionsDataName) return parseSuggestions(part.data)
  }
  return noSuggestions
}

/**
 * The last shown message when it is a finished (`complete`) answer, else `undefined` (while it
 * streams, after a stop or an error, when the user spoke last, or before any message). The
 * stored message object, so it is stable for `useSyncExternalStore`.
 *
 * @example
 * ```ts
 * selectLastFinishedAnswer(chat.getState())?.id // 'a1'
 * ```
 */
export function selectLastFinishedAnswer(
  state: Pick<ChatStoreState, 'messageIds' | 'messages'>,
): Message | undefined {
  const lastId = state.messageIds[state.messageIds.length - 1]
  const message = lastId === undefined ? undefined : ownValue(state.messages, lastId)
  return message?.role === 'assistant' && message.status === 'complete' ? message : undefined
}

/**
 * The suggestions to offer now: those of {@link selectLastFinishedAnswer}, else none.
 * Memoized on the message object, so it is stable for `useSyncExternalStore`.
 *
 * @example
 * ```ts
 * const chips = selectSuggestions(chat.getState())
 * chips.length > 0 // show them after the answer
 * ```
 */
export const selectSuggestions: (
  state: Pick<ChatStoreState, 'messageIds' | 'messages'>,
) => readonly string[] = (() => {
  let lastMessage: Message | undefined
  let lastResult: readonly string[] = noSuggestions
  return (state) => {
    const message = selectLastFinishedAnswer(state)
    if (message === undefined) return noSuggestions
    if (message !== lastMessage) {
      lastMessage = message
      lastResult = suggestionsOf(message)
    }
    return lastResult
  }
})()
