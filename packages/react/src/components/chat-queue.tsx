/**
 * The queue of a chat created with `queue: true`, bound to it: the messages sent while an
 * answer streams, each editable, movable, removable or sent at once.
 *
 * @module
 */
import { type Chat, type QueuedMessage, selectQueue } from '@sluice/core'
import { useResolvedChat } from '../hooks/chat-context.tsx'
import { useChatSelector } from '../hooks/use-chat-selector.ts'
import { QueuedMessages, type QueuedMessagesLabels } from './queued-messages.tsx'

/**
 * The messages waiting to be sent (`queue: true`): the same array until the queue changes.
 *
 * @example
 * ```tsx
 * const waiting = useChatQueue()
 * waiting.length // 2
 * ```
 */
export function useChatQueue(chat?: Chat): readonly QueuedMessage[] {
  return useChatSelector(selectQueue, useResolvedChat(chat, 'useChatQueue'))
}

/** Props of {@link ChatQueue}. */
export interface ChatQueueProps {
  /** The chat; the nearest `ChatProvider`'s by default. */
  chat?: Chat | undefined
  labels?: QueuedMessagesLabels | undefined
  className?: string
}

/**
 * {@link QueuedMessages} bound to a chat's queue: "Edit" (`chat.updateQueued`), "Move up" /
 * "Move down" (`chat.moveQueued`), "Send now" (`chat.sendQueuedNow`: stops the answer and sends
 * this one), "Remove" (`chat.removeQueued`) and "Clear queue" (`chat.clearQueue`). Nothing when
 * the queue is empty.
 *
 * @example
 * ```tsx
 * const chat = useStreamingChat({ api: '/api/chat', protocol: 'openai-chat', queue: true })
 * <ChatProvider chat={chat.chat}><MessageList /><ChatQueue /><Composer queue /></ChatProvider>
 * ```
 */
export function ChatQueue({ chat, labels, className }: ChatQueueProps) {
  const resolved = useResolvedChat(chat, 'ChatQueue')
  const items = useChatSelector(selectQueue, resolved)
  return (
    <QueuedMessages
      items={items}
      className={className}
      labels={labels}
      onRemove={(id) => resolved.removeQueued(id)}
      onSendNow={(id) => void resolved.sendQueuedNow(id)}
      onUpdate={(id, text) => resolved.updateQueued(id, text)}
      onMove={(id, toIndex) => resolved.moveQueued(id, toIndex)}
      onClear={() => resolved.clearQueue()}
    />
  )
}
