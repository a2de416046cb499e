import type { Message } from '@sluice/core'
import { createContext, useContext } from 'react'

/** What the parts of one message share. */
export interface ChatMessageContextValue {
  message: Message
  /** Whether the message is between its first content and its end. */
  streaming: boolean
  /** Whether the answer is on its way with nothing showing progress (see `isWaitingForContent`). */
  waiting: boolean
}

/**
 * The message a `ChatMessageRoot` provides to its parts.
 *
 * @example
 * ```tsx
 * const { message } = useContext(ChatMessageContext)!
 * ```
 */
export const ChatMessageContext = createContext<ChatMessageContextValue | undefined>(undefined)
ChatMessageContext.displayName = 'SluiceChatMessageContext'

/**
 * The message of the nearest `ChatMessageRoot`, for custom parts.
 *
 * @example
 * ```tsx
 * function TokenCount() {
 *   const { message } = useChatMessageContext('TokenCount')
 *   return <span>{message.usage?.outputTokens}</span>
 * }
 * ```
 */
export function useChatMessageContext(componentName: string): ChatMessageContextValue {
  const value = useContext(ChatMessageContext)
  if (value === undefined) {
    throw new Error(
      `${componentName}: there is no <ChatMessageRoot> above this component. Render it inside <ChatMessageRoot message={message}> (or use <ChatMessage message={message} />).`,
    )
  }
  return value
}
