/**
 * The message thread: `MessageList` from `@sluice/react` (a virtualized `role="log"`,
 * `aria-busy` while an answer streams, one subscription per row), with the playground's empty
 * state. Code blocks are highlighted by `createHighlighter()` from `@sluice/react/highlight`,
 * which fetches lowlight the first time an answer contains a code block. With `attachments`
 * (the controller the Composer uses), files dropped anywhere on the thread attach to the draft.
 * Under the list, `ChatSuggestions`: after a finished answer, the follow-ups its stream sent
 * (one click sends), or in the `suggestions` scenario on a wire with no data part, the
 * playground's own.
 *
 * @module
 */
import type { Message } from '@sluice/core'
import {
  AttachmentDropZone,
  type AttachmentsController,
  ChatSuggestions,
  MessageList,
  type MessageMarkdownOptions,
  useMessageIds,
} from '@sluice/react'
import { createHighlighter } from '@sluice/react/highlight'
import { createMathRenderer } from '@sluice/react/math'
import '@sluice/react/math.css'
import { useUrlState } from '../settings/url-state.ts'

/**
 * The app's own follow-ups (`ChatSuggestions`' `suggestions`), for the `suggestions` scenario's
 * answer on the wires that cannot send a data part (Chat Completions, Anthropic, Ollama, …):
 * what an app offers when its backend suggests nothing. A stream's own suggestions win.
 */
export const playgroundSuggestions: readonly string[] = ['Tell me more about Portugal', 'Suggest a day trip']

/** The thread's column: the list takes the room, the suggestions sit under it. */
const threadStyle = { flexDirection: 'column' } as const

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
  const [{ backend, scenario }] = useUrlState()
  const fallback = backend === 'mock' && scenario === 'suggestions' ? playgroundSuggestions : undefined
  const content = (
    <>
      <MessageList
        className="thread-list"
        markdown={markdownOptions}
        feedback
        onRetry={onRetry}
        onRegenerate={onRegenerate}
      />
      <ChatSuggestions className="thread-suggestions" suggestions={fallback} />
      {ids.length === 0 ? (
        <p className="thread-empty">
          Pick a provider and a scenario above, then send a message. Everything is mocked in this tab: no key,
          no server.
        </p>
      ) : null}
    </>
  )
  return attachments === undefined ? (
    <div className="thread" style={threadStyle}>
      {content}
    </div>
  ) : (
    <AttachmentDropZone className="thread" style={threadStyle} attachments={attachments}>
      {content}
    </AttachmentDropZone>
  )
}
