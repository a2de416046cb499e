/**
 * The parts of a message that talk to its chat: its versions (a branch picker bound to
 * `chat.switchBranch`) and its rating (feedback buttons bound to `chat.setFeedback`).
 * `MessageList` renders both on every row of a chat; use them inside your own rows the same way.
 *
 * @module
 */
import type { BranchInfo, Chat, Message } from '@sluice/core'
import { useResolvedChat } from '../hooks/chat-context.tsx'
import { useBranchInfo, useStreamingBranches } from '../hooks/use-branches.ts'
import { BranchPicker, type BranchPickerLabels } from './branch-picker.tsx'
import { FeedbackButtons, type FeedbackButtonsLabels } from './feedback-buttons.tsx'

/** Props of {@link ChatMessageBranches}. */
export interface ChatMessageBranchesProps {
  message: Message
  /** The chat; the nearest `ChatProvider`'s by default. */
  chat?: Chat | undefined
  labels?: BranchPickerLabels | undefined
}

/**
 * The branch picker of a message with versions ("‹ 2 / 3 ›"): nothing for a message with one.
 *
 * @example
 * ```tsx
 * <ChatMessage message={message}><ChatMessageBranches message={message} /></ChatMessage>
 * ```
 */
export function ChatMessageBranches({ message, chat, labels }: ChatMessageBranchesProps) {
  const resolved = useResolvedChat(chat, 'ChatMessageBranches')
  const info = useBranchInfo(message.id, resolved)
  // Only a message with versions follows which of them stream: a one-version message's picker
  // never re-renders (its row stays still while the answer after it streams and ends).
  if (info.count < 2) return null
  return <VersionsPicker chat={resolved} info={info} labels={labels} />
}

function VersionsPicker({
  chat,
  info,
  labels,
}: {
  chat: Chat
  info: BranchInfo
  labels: BranchPickerLabels | undefined
}) {
  const streaming = useStreamingBranches(info.messageId, chat)
  return (
    <BranchPicker
      index={info.index}
      count={info.count}
      streaming={streaming}
      group={info.siblingIds[0]}
      onSwitch={(to) => chat.switchBranch(info.messageId, to)}
      labels={labels}
    />
  )
}

/** Props of {@link ChatMessageFeedback}. */
export interface ChatMessageFeedbackProps {
  message: Message
  chat?: Chat | undefined
  labels?: FeedbackButtonsLabels | undefined
}

/**
 * Thumbs up / down on a finished answer, kept on the message (`message.feedback`) through
 * `chat.setFeedback` (which calls the chat's `onFeedback`). Nothing on other messages.
 *
 * @example
 * ```tsx
 * <ChatMessage message={message}><ChatMessageFeedback message={message} /></ChatMessage>
 * ```
 */
export function ChatMessageFeedback({ message, chat, labels }: ChatMessageFeedbackProps) {
  const resolved = useResolvedChat(chat, 'ChatMessageFeedback')
  if (message.role !== 'assistant' || message.status !== 'complete') return null
  return (
    <FeedbackButtons
      value={message.feedback}
      onChange={(value) => resolved.setFeedback(message.id, value)}
      labels={labels}
    />
  )
}
