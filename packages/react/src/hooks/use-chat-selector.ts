/**
 * Selector hooks: each component subscribes to the slice of the chat it shows, so a streaming
 * token re-renders the one message that changed and nothing else.
 *
 * @module
 */
import {
  type Chat,
  type ChatStatus,
  type ChatStoreState,
  createMessagesSelector,
  type Message,
  selectChatStatus,
  selectMessageIds,
} from '@sluice/core'
import { useMemo, useSyncExternalStore } from 'react'
import { useResolvedChat } from './chat-context.tsx'

/**
 * Read a slice of the chat's store. The component re-renders only when the selected value
 * changes (`Object.is`), so return stored values (a message, the ids array, the status) or
 * primitives, not objects built on each call.
 *
 * The chat is the one given, else the nearest `ChatProvider`'s. On the server the store's
 * current state is rendered (nothing touches `window`).
 *
 * @example
 * ```ts
 * const messageCount = useChatSelector((state) => state.messageIds.length)
 * ```
 */
export function useChatSelector<Selected>(
  selector: (state: ChatStoreState) => Selected,
  chat?: Chat,
): Selected {
  const { store } = useResolvedChat(chat, 'useChatSelector')
  const getSnapshot = () => selector(store.getState())
  return useSyncExternalStore(store.subscribe, getSnapshot, getSnapshot)
}

/**
 * One message, by id; the same object until that message changes. `undefined` for an unknown id.
 *
 * @example
 * ```tsx
 * const Row = memo(function Row({ id }: { id: string }) {
 *   const message = useMessage(id)
 *   return message ? <ChatMessage message={message} /> : null
 * })
 * ```
 */
export function useMessage(id: string, chat?: Chat): Message | undefined {
  return useChatSelector((state) => state.messages[id], useResolvedChat(chat, 'useMessage'))
}

/**
 * The ordered message ids; a new array only when a message is added or removed (never for a token).
 *
 * @example
 * ```tsx
 * function Thread() {
 *   const ids = useMessageIds()
 *   return <div role="log">{ids.map((id) => <Row key={id} id={id} />)}</div>
 * }
 * ```
 */
export function useMessageIds(chat?: Chat): readonly string[] {
  return useChatSelector(selectMessageIds, useResolvedChat(chat, 'useMessageIds'))
}

/**
 * Every message as an array (a new array whenever any message changes: once per frame while
 * streaming). For long threads prefer {@link useMessageIds} with {@link useMessage} per row.
 *
 * @example
 * ```ts
 * const messages = useMessages()
 * ```
 */
export function useMessages(chat?: Chat): Message[] {
  const resolved = useResolvedChat(chat, 'useMessages')
  // One memoized selector per chat: the array stays the same until a message changes, and
  // another chat's cached array is never returned.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the chat is the memo's identity, not an input.
  const selectMessages = useMemo(() => createMessagesSelector(), [resolved])
  return useChatSelector(selectMessages, resolved)
}

/**
 * The chat's request status: `idle`, `submitted` (waiting for the first byte), `streaming` or `error`.
 *
 * @example
 * ```tsx
 * const status = useChatStatus()
 * return <button type="button" disabled={status === 'idle'} onClick={() => chat.stop()}>Stop</button>
 * ```
 */
export function useChatStatus(chat?: Chat): ChatStatus {
  return useChatSelector(selectChatStatus, useResolvedChat(chat, 'useChatStatus'))
}

/**
 * The last request error while the status is `error` (the provider's own message, with
 * `status` and `code` when it sent them); `undefined` otherwise.
 *
 * @example
 * ```tsx
 * const error = useChatError()
 * return error ? <p role="alert">{error.message}</p> : null
 * ```
 */
export function useChatError(chat?: Chat): Error | undefined {
  return useChatSelector((state) => state.error, useResolvedChat(chat, 'useChatError'))
}
