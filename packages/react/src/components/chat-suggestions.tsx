/**
 * Suggestion chips bound to a chat: after a finished answer, the follow-ups its stream sent (a
 * `data` part named `suggestions`, see `selectSuggestions` in @sluice/core), else the app's own;
 * one click sends. Nothing while an answer streams, after a stop or an error, or before any answer.
 *
 * @module
 */
import { type Chat, type Message, selectLastFinishedAnswer, selectSuggestions } from '@sluice/core'
import { useResolvedChat } from '../hooks/chat-context.tsx'
import { useChatSelector } from '../hooks/use-chat-selector.ts'
import { Suggestions } from './suggestions.tsx'

const none: readonly string[] = []

/**
 * The follow-ups the chat's last finished answer suggests (from its stream), stable between
 * tokens: a component using it re-renders when they change, not per token.
 *
 * @example
 * ```tsx
 * const suggestions = useSuggestions()
 * ```
 */
export function useSuggestions(chat?: Chat): readonly string[] {
  return useChatSelector(selectSuggestions, useResolvedChat(chat, 'useSuggestions'))
}

/** Props of {@link ChatSuggestions}. */
export interface ChatSuggestionsProps {
  /** The chat; the nearest `ChatProvider`'s by default. */
  chat?: Chat | undefined
  /**
   * The app's suggestions, offered after a finished answer whose stream sent none: a list, or a
   * function of that answer (return `[]` for none).
   */
  suggestions?: readonly string[] | ((answer: Message) => readonly string[]) | undefined
  className?: string | undefined
}

/**
 * `Suggestions` for a chat: one click sends the suggestion as the next message.
 *
 * @example
 * ```tsx
 * <ChatProvider chat={chat}>
 *   <MessageList />
 *   <ChatSuggestions suggestions={['Tell me more']} />
 *   <Composer />
 * </ChatProvider>
 * ```
 */
export function ChatSuggestions({ chat, suggestions, className }: ChatSuggestionsProps) {
  const resolved = useResolvedChat(chat, 'ChatSuggestions')
  const fromStream = useChatSelector(selectSuggestions, resolved)
  const answer = useChatSelector(selectLastFinishedAnswer, resolved)
  let shown = fromStream
  if (shown.length === 0 && answer !== undefined && suggestions !== undefined) {
    shown = typeof suggestions === 'function' ? suggestions(answer) : suggestions
  }
  return (
    <Suggestions
      suggestions={shown.length === 0 ? none : shown}
      className={className}
      onSelect={(text) => void resolved.send(text)}
    />
  )
}
