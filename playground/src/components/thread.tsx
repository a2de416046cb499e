/**
 * The message thread: `MessageList` from `@sluice/react` (a virtualized `role="log"`,
 * `aria-busy` while an answer streams, one subscription per row), with the playground's empty
 * state. Code blocks are highlighted by `createHighlighter()` from `@sluice/react/highlight`,
 * which fetches lowlight the first time an answer contains a code block. With `attachments`
 * (the controller the Composer uses), files dropped anywhere on the thread attach to the draft.
 *
 * @module
 */
import type { Message } from '@sluice/core'
import {
  AttachmentDropZone,
  type AttachmentsController,
  MessageList,
  type MessageMarkdownOptions,
  useMessageIds,
} from '@sluice/react'
import { createHighlighter } from '@sluice/react/highlight'
import { createMathRenderer } from '@sluice/react/math'
import '@sluice/react/math.css'

/**
 * Created once: `MessageList` asks for stable markdown options; lowlight loads on the first code
 * block and KaTeX on the first formula, each once.
 */
const markdownOptions: MessageMarkdownOptions = {
  highlighter: createHighlighter(),
  math: createMathRenderer(),
}

/** Props of {@link Thread}. */
export interface ThreadProps {
  onRetry(message: Message): void
  onRegenerate(message: Message): void
  /** The Composer's attachments (`useAttachments()`): files dropped on the thread attach to its draft. */
  attachments?: AttachmentsController | undefined
}

/** The conversation's messages, oldest first. */
export function Thread({ onRetry, onRegenerate, attachments }: ThreadProps) {
  const ids = useMessageIds()
  const content = (
    <>
      <MessageList
        className="thread-list"
        markdown={markdownOptions}
        feedback
        onRetry={onRetry}
        onRegenerate={onRegenerate}
      />
      {ids.length === 0 ? (
        <p className="thread-empty">
          Pick a provider and a scenario above, then send a message. Everything is mocked in this tab: no key,
          no server.
        </p>
      ) : null}
    </>
  )
  return attachments === undefined ? (
    <div className="thread">{content}</div>
  ) : (
    <AttachmentDropZone className="thread" attachments={attachments}>
      {content}
    </AttachmentDropZone>
  )
}
