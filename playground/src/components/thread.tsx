/**
 * The message thread: `MessageList` from `@sluice/react` (a virtualized `role="log"`,
 * `aria-busy` while an answer streams, one subscription per row), with the playground's empty
 * state.
 *
 * @module
 */
import type { Message } from '@sluice/core'
import { MessageList, useMessageIds } from '@sluice/react'

/** Props of {@link Thread}. */
export interface ThreadProps {
  onRetry(message: Message): void
  onRegenerate(message: Message): void
}

/** The conversation's messages, oldest first. */
export function Thread({ onRetry, onRegenerate }: ThreadProps) {
  const ids = useMessageIds()
  return (
    <div className="thread">
      <MessageList className="thread-list" onRetry={onRetry} onRegenerate={onRegenerate} />
      {ids.length === 0 ? (
        <p className="thread-empty">
          Pick a provider and a scenario above, then send a message. Everything is mocked in this tab: no key,
          no server.
        </p>
      ) : null}
    </div>
  )
}
