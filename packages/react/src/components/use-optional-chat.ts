import type { Chat, ChatStatus, ChatStoreState } from '@sluice/core'
import { useContext, useSyncExternalStore } from 'react'
import { ChatContext } from '../hooks/chat-context.tsx'

const noopSubscribe = () => () => {}

/**
 * The chat given as a prop, else the nearest `ChatProvider`'s, else `undefined`: the
 * components work from plain props and only use a chat when there is one.
 *
 * @example
 * ```ts
 * const chat = useOptionalChat(props.chat)
 * ```
 */
export function useOptionalChat(chat: Chat | undefined): Chat | undefined {
  const provided = useContext(ChatContext)
  return chat ?? provided
}

/**
 * A slice of an optional chat's store; `fallback` without a chat. Re-renders only when the
 * selected value changes, so select primitives.
 *
 * @example
 * ```ts
 * const status = useOptionalChatSelector(chat, (state) => state.status, 'idle')
 * ```
 */
export function useOptionalChatSelector<Selected>(
  chat: Chat | undefined,
  selector: (state: ChatStoreState) => Selected,
  fallback: Selected,
): Selected {
  const getSnapshot = () => (chat ? selector(chat.store.getState()) : fallback)
  return useSyncExternalStore(chat ? chat.store.subscribe : noopSubscribe, getSnapshot, getSnapshot)
}

/**
 * The request status of an optional chat (`idle` without one).
 *
 * @example
 * ```ts
 * const status = useOptionalChatStatus(chat)
 * ```
 */
export function useOptionalChatStatus(chat: Chat | undefined): ChatStatus {
  return useOptionalChatSelector(chat, (state) => state.status, 'idle')
}
