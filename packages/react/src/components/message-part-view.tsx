import type { MessagePart, MessageRole, SourcePart } from '@sluice/core'
import { memo, type ReactNode } from 'react'
import { Markdown, type MarkdownProps } from '../markdown/index.ts'
import { sanitizeUrl } from '../markdown/sanitize-url.ts'
import { StepLabel } from './chat-message-step.tsx'
import { FilePartView } from './file-part.tsx'
import { Reasoning } from './reasoning.tsx'
import { ToolCallCard, type ToolRenderers } from './tool-call-card.tsx'

/** Markdown options for a message's text (allowed origins, components, highlighter…). */
export type MessageMarkdownOptions = Omit<MarkdownProps, 'children' | 'streaming' | 'caret'>

/**
 * A custom renderer for any part; return `undefined` to keep the default rendering.
 *
 * @example
 * ```tsx
 * const renderPart: PartRenderer = (part) =>
 *   part.type === 'data' && part.name === 'chart' ? <Chart data={part.data} /> : undefined
 * ```
 */
export type PartRenderer = (
  part: MessagePart,
  context: { role: MessageRole; streaming: boolean },
) => ReactNode | undefined

/** Props of {@link MessagePartView}. */
export interface MessagePartViewProps {
  part: MessagePart
  /** The role of the message the part belongs to: user text renders as plain text, not markdown. */
  role: MessageRole
  /** Whether this part is still arriving (only ever true for the message's growing tail). */
  streaming: boolean
  toolRenderers?: ToolRenderers | undefined
  renderPart?: PartRenderer | undefined
  markdown?: MessageMarkdownOptions | undefined
  /** For a `step-start` part: its label ("Step 1 of 5"); without one the step is a plain rule. */
  stepLabel?: string | undefined
  /** For a `tool-call` part: how long the backend says it ran, in milliseconds. */
  executionTimeMs?: number | undefined
  /**
   * The streaming caret, for the text part that is arriving: placed after its last character
   * (inside the last paragraph of markdown, on the text's last line); after a custom rendering.
   * Keep the element stable (module scope): the part's memo compares it.
   */
  caret?: ReactNode
}

/**
 * One part of a message. Memoized: the reducer keeps an unchanged part's object, so a part
 * that has finished never re-renders while the rest of the message streams.
 *
 * @example
 * ```tsx
 * {message.parts.map((part, index) => <MessagePartView key={index} part={part} role={message.role} streaming={false} />)}
 * ```
 */
export const MessagePartView = memo(function MessagePartView({
  part,
  role,
  streaming,
  toolRenderers,
  renderPart,
  markdown,
  stepLabel,
  executionTimeMs,
  caret,
}: MessagePartViewProps) {
  const custom = renderPart?.(part, { role, streaming })
  if (custom !== undefined)
    return (
      <>
        {custom}
        {caret}
      </>
    )
  switch (part.type) {
    case 'text':
      // People's own words are shown as they typed them; only model output is markdown. Either
      // takes its direction from its own first strong character (`dir="auto"`), not from the page:
      // an English answer in a right-to-left app reads left to right. Each line of a user's text
      // is its own bidi paragraph (`unicode-bidi: plaintext`).
      return role === 'user' ? (
        <div
          data-sluice="message-text"
          data-refusal={part.refusal ? '' : undefined}
          dir="auto"
          style={{ whiteSpace: 'pre-wrap', unicodeBidi: 'plaintext' }}
        >
          {part.text}
          {caret}
        </div>
      ) : (
        <div data-sluice="message-text" data-refusal={part.refusal ? '' : undefined} dir="auto">
          <Markdown {...markdown} streaming={streaming} caret={caret}>
            {part.text}
          </Markdown>
        </div>
      )
    case 'reasoning':
      return <Reasoning part={part} streaming={streaming} />
    case 'tool-call':
      return (
        <ToolCallCard
          part={part}
          executionTimeMs={executionTimeMs}
          {...(toolRenderers?.[part.toolName] ? { render: toolRenderers[part.toolName] } : {})}
        />
      )
    case 'source':
      return <SourceLink part={part} />
    case 'file':
      // The markdown options' allow-list governs file previews too: one setting for every image.
      return (
        <FilePartView
          part={part}
          allowedOrigins={markdown?.allowedOrigins}
          allowDataImages={markdown?.allowDataImages}
        />
      )
    case 'step-start':
      return stepLabel === undefined ? <hr data-sluice="step-separator" /> : <StepLabel label={stepLabel} />
    case 'data':
      // Custom data has no default look; apps render it through `renderPart`.
      return null
    default: {
      const unknownPart: never = part
      return unknownPart
    }
  }
})

/**
 * A cited source as a link. The URL is untrusted: anything but http(s)/mailto/tel renders as
 * plain text, and links open without a referrer.
 *
 * @example
 * ```tsx
 * <SourceLink part={{ type: 'source', url: 'https://example.com', title: 'Example' }} />
 * ```
 */
export const SourceLink = memo(function SourceLink({ part }: { part: SourcePart }) {
  const safe = sanitizeUrl(part.url, { purpose: 'link' })
  const label = part.title?.trim() || part.url
  return (
    <span data-sluice="source">
      {safe ? (
        <a
          href={safe.url}
          target="_blank"
          rel="noopener noreferrer nofollow"
          referrerPolicy="no-referrer"
          title={safe.url}
        >
          {label}
        </a>
      ) : (
        label
      )}
    </span>
  )
})
