import type { Message } from '@sluice/core'
import { type ComponentPropsWithoutRef, forwardRef, useMemo } from 'react'
import { ChatMessageContext } from './chat-message-context.ts'
import { isStreamingText, isWaitingForContent } from './message-state.ts'

/** Props of {@link ChatMessageRoot}. */
export interface ChatMessageRootProps extends ComponentPropsWithoutRef<'div'> {
  message: Message
}

/**
 * The element of one message and the context its parts read. Carries the DOM contract:
 * `data-message-id`, `data-role`, `data-status` (the message status), plus `data-waiting`
 * while the typing indicator shows and `data-streaming-text` while text arrives.
 *
 * @example
 * ```tsx
 * <ChatMessageRoot message={message}>
 *   <ChatMessageContent />
 *   <ChatMessageStatus onRetry={() => chat.retry()} />
 *   <ChatMessageActions onCopy={copy} />
 * </ChatMessageRoot>
 * ```
 */
export const ChatMessageRoot = forwardRef<HTMLDivElement, ChatMessageRootProps>(function ChatMessageRoot(
  { message, children, ...props },
  ref,
) {
  const waiting = isWaitingForContent(message)
  const streamingText = isStreamingText(message)
  const value = useMemo(
    () => ({ message, streaming: message.status === 'streaming', waiting }),
    [message, waiting],
  )
  return (
    <ChatMessageContext.Provider value={value}>
      <div
        data-sluice="message"
        data-message-id={message.id}
        data-role={message.role}
        data-status={message.status}
        data-waiting={waiting ? '' : undefined}
        data-streaming-text={streamingText ? '' : undefined}
        {...props}
        ref={ref}
      >
        {children}
      </div>
    </ChatMessageContext.Provider>
  )
})
