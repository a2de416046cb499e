import type { Message } from '@sluice/core'
import { type ComponentPropsWithoutRef, forwardRef } from 'react'
import { useLabels } from '../hooks/chat-context.tsx'
import type { ChatLabels, LabelsOverride } from '../labels.ts'
import { useChatMessageContext } from './chat-message-context.ts'

/** Props of {@link ChatMessageUsage}. */
export interface ChatMessageUsageProps extends ComponentPropsWithoutRef<'p'> {
  /** Any subset of the labels' `usage` group ("42 tokens", "12 in the prompt"), over the provider's. */
  labels?: LabelsOverride<ChatLabels['usage']> | undefined
}

/** A token count worth showing: a whole, finite, non-negative number (it may come from a wire). */
function countOf(value: number | undefined): number | undefined {
  return value !== undefined && Number.isSafeInteger(value) && value >= 0 ? value : undefined
}

/**
 * The answer's token count, `usage.outputTokens` (else `totalTokens`): while it streams, the
 * progress a backend reports (seed 001's `token_count` on every chunk), then the final count;
 * once the answer ended, the prompt's tokens too when the backend counted them. Renders
 * nothing for a message without usage, or one that is not an answer.
 *
 * Not a live region (it changes on every chunk): the message list announces the outcome once.
 * `data-sluice="message-usage"` with the message's `data-status`; the counts are
 * `data-sluice="message-usage-tokens"` and `data-sluice="message-usage-prompt"`.
 *
 * @example
 * ```tsx
 * <ChatMessageRoot message={message}>
 *   <ChatMessageContent />
 *   <ChatMessageUsage />
 * </ChatMessageRoot>
 * ```
 */
export const ChatMessageUsage = forwardRef<HTMLParagraphElement, ChatMessageUsageProps>(
  function ChatMessageUsage({ labels, children, ...props }, ref) {
    const { message } = useChatMessageContext('ChatMessageUsage')
    const { usage: words, format } = useLabels('usage', labels)
    if (!hasUsage(message)) return null
    const tokens = countOf(message.usage?.outputTokens) ?? countOf(message.usage?.totalTokens)!
    const ended = message.status !== 'pending' && message.status !== 'streaming'
    const prompt = ended ? countOf(message.usage?.inputTokens) : undefined
    return (
      <p data-sluice="message-usage" data-status={message.status} {...props} ref={ref}>
        <span data-sluice="message-usage-tokens">{words.tokens(tokens, format)}</span>
        {prompt !== undefined && (
          <>
            {' · '}
            <span data-sluice="message-usage-prompt">{words.promptTokens(prompt, format)}</span>
          </>
        )}
        {children}
      </p>
    )
  },
)

/**
 * Whether {@link ChatMessageUsage} shows anything for a message: an assistant message with an
 * output (or total) token count.
 *
 * @example
 * ```ts
 * hasUsage({ id: 'a', role: 'assistant', status: 'streaming', parts: [], usage: { outputTokens: 3 } }) // true
 * ```
 */
export function hasUsage(message: Message): boolean {
  return (
    message.role === 'assistant' &&
    (countOf(message.usage?.outputTokens) ?? countOf(message.usage?.totalTokens)) !== undefined
  )
}
