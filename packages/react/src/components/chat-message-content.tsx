import type { MessagePart } from '@sluice/core'
import { type ComponentPropsWithoutRef, forwardRef } from 'react'
import { useLabels } from '../hooks/chat-context.tsx'
import { useChatMessageContext } from './chat-message-context.ts'
import { authorName, stepLabels } from './chat-message-step.tsx'
import { toolExecutionTimes } from './chat-message-tool-times.ts'
import { type MessageMarkdownOptions, MessagePartView, type PartRenderer } from './message-part-view.tsx'
import { StreamingCaret } from './streaming-caret.tsx'
import type { ToolRenderers } from './tool-call-card.tsx'
import { TypingIndicator } from './typing-indicator.tsx'
import { visuallyHidden } from './visually-hidden.ts'

/** Props of {@link ChatMessageContent}. */
export interface ChatMessageContentProps extends ComponentPropsWithoutRef<'div'> {
  /** Custom bodies for tool calls, by tool name. Keep the object stable (module scope or `useMemo`). */
  toolRenderers?: ToolRenderers
  /** Custom rendering for any part; return `undefined` for the default. Keep it stable. */
  renderPart?: PartRenderer
  /** Options for the markdown of assistant text. Keep the object stable. */
  markdown?: MessageMarkdownOptions
  /**
   * Who wrote the message, read by screen readers before the content. Default: the labels'
   * `message.author` ("You" / "Assistant" / "System" / "Tool").
   */
  authorLabel?: string
}

/** One element for every message: a part's memo sees the same caret from token to token. */
const CARET = <StreamingCaret />

function partKey(part: MessagePart, index: number): string {
  switch (part.type) {
    case 'text':
    case 'reasoning':
      return `${part.type}:${part.id}`
    case 'tool-call':
      return `tool-call:${part.toolCallId}`
    default:
      return `${part.type}:${index}`
  }
}

/**
 * Every part of the message, in the order it arrived: text (markdown), reasoning, tool calls,
 * sources, files and step separators; the caret after the last character while text streams
 * (on the text's last line), or the typing indicator while the answer is on its way with
 * nothing moving.
 *
 * @example
 * ```tsx
 * <ChatMessageRoot message={message}>
 *   <ChatMessageContent toolRenderers={{ get_weather: renderWeather }} />
 * </ChatMessageRoot>
 * ```
 */
export const ChatMessageContent = forwardRef<HTMLDivElement, ChatMessageContentProps>(
  function ChatMessageContent({ toolRenderers, renderPart, markdown, authorLabel, children, ...props }, ref) {
    const { message, waiting } = useChatMessageContext('ChatMessageContent')
    const words = useLabels()
    const active = message.status === 'streaming'
    const lastIndex = message.parts.length - 1
    const labels = stepLabels(message, words)
    const toolTimes = toolExecutionTimes(message)
    const author = authorName(message)
    return (
      <div data-sluice="message-content" {...props} ref={ref}>
        {authorLabel === undefined && author !== undefined ? (
          // The backend's author name (another agent in the channel), shown and read first; plain text.
          <div data-sluice="message-author" dir="auto">
            {author}
            <span style={visuallyHidden}>:</span>
          </div>
        ) : (
          <span style={visuallyHidden}>{`${authorLabel ?? words.message.author[message.role]}:`}</span>
        )}
        {message.parts.map((part, index) => {
          const stepLabel = labels.get(index)
          // A plain step separator before any content separates nothing; a labelled one names step 1.
          if (part.type === 'step-start' && index === 0 && stepLabel === undefined) return null
          const streaming =
            active &&
            index === lastIndex &&
            (part.type === 'text' || part.type === 'reasoning') &&
            part.state !== 'done'
          return (
            <MessagePartView
              key={partKey(part, index)}
              part={part}
              role={message.role}
              streaming={streaming}
              toolRenderers={toolRenderers}
              renderPart={renderPart}
              markdown={markdown}
              stepLabel={stepLabel}
              executionTimeMs={part.type === 'tool-call' ? toolTimes.get(part.toolCallId) : undefined}
              // The caret follows the last character of the text that is arriving, on its line.
              caret={streaming && part.type === 'text' ? CARET : undefined}
            />
          )
        })}
        {waiting && <TypingIndicator />}
        {children}
      </div>
    )
  },
)
