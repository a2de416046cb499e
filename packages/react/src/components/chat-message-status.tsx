import type { Message } from '@sluice/core'
import { type ComponentPropsWithoutRef, forwardRef } from 'react'
import { useLabels } from '../hooks/chat-context.tsx'
import type { ChatLabels, LabelsOverride } from '../labels.ts'
import { useChatMessageContext } from './chat-message-context.ts'

/** Props of {@link ChatMessageStatus}. */
export interface ChatMessageStatusProps extends ComponentPropsWithoutRef<'div'> {
  /** Re-run the message (shown for `error` and `interrupted`; for `cancelled` too when `retryCancelled`). */
  onRetry?: ((message: Message) => void) | undefined
  /** Continue an interrupted message where it stopped (shown for `interrupted` only). */
  onResume?: ((message: Message) => void) | undefined
  /** Offer Retry on a message the user stopped. Default `false`. */
  retryCancelled?: boolean
  /** Any subset of the labels' `status` group (the notes, "HTTP 429", "Retry", "Resume"), over the provider's. */
  labels?: LabelsOverride<ChatLabels['status']> | undefined
}

/** An HTTP status worth showing: a whole number in the range HTTP defines (the field may come from a body). */
function httpStatusOf(message: Message): number | undefined {
  const status = message.error?.status
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599
    ? status
    : undefined
}

/**
 * What happened to a message that did not complete: the error with a Retry button, the
 * interrupted state with Retry and Resume, or a "Stopped" note for a cancelled answer.
 * Renders nothing for other statuses. The text is not a live region: the message list
 * announces the outcome once.
 *
 * When the request failed with an HTTP status (`message.error.status`), the text starts
 * with it ("HTTP 429"), so a user can tell a bad key from a rate limit or a server error.
 *
 * `data-sluice="message-status"` with `data-status`; the status is
 * `data-sluice="message-status-code"`.
 *
 * @example
 * ```tsx
 * <ChatMessageStatus onRetry={() => chat.retry()} onResume={chat.canResume() ? () => chat.resume() : undefined} />
 * ```
 */
export const ChatMessageStatus = forwardRef<HTMLDivElement, ChatMessageStatusProps>(
  function ChatMessageStatus({ onRetry, onResume, retryCancelled = false, labels, children, ...props }, ref) {
    const { message } = useChatMessageContext('ChatMessageStatus')
    const { status: words, format } = useLabels('status', labels)
    const { status } = message
    if (status !== 'error' && status !== 'interrupted' && status !== 'cancelled') return null
    const description =
      status === 'error'
        ? (message.error?.message ?? words.error)
        : status === 'interrupted'
          ? (message.error?.message ?? words.interrupted)
          : words.cancelled
    const showRetry = onRetry !== undefined && (status !== 'cancelled' || retryCancelled)
    const httpStatus = status === 'cancelled' ? undefined : httpStatusOf(message)
    return (
      <div data-sluice="message-status" data-status={status} {...props} ref={ref}>
        <p data-sluice="message-status-text">
          {httpStatus !== undefined && (
            <>
              <span data-sluice="message-status-code">{words.httpStatus(httpStatus, format)}</span>{' '}
            </>
          )}
          {description}
        </p>
        {(showRetry || (status === 'interrupted' && onResume)) && (
          <div data-sluice="message-status-actions">
            {showRetry && (
              <button type="button" data-sluice="retry-button" onClick={() => onRetry(message)}>
                {words.retry}
              </button>
            )}
            {status === 'interrupted' && onResume && (
              <button type="button" data-sluice="resume-button" onClick={() => onResume(message)}>
                {words.resume}
              </button>
            )}
          </div>
        )}
        {children}
      </div>
    )
  },
)
