/**
 * The `message-interrupt` every decoder's `end()` gives when the stream stops before its
 * terminal event.
 *
 * @module
 */
import type { MessageInterruptEvent } from '../../events.ts'

/**
 * A `message-interrupt` for `messageId` with the code `stream-interrupted` (one code for every
 * protocol, so an app can offer "retry" without knowing the wire) and the protocol's own
 * explanation of which terminal event was missing.
 *
 * @example
 * ```ts
 * streamInterrupted('m1', 'The stream-chunk stream for message "m1" ended before a frame with "is_complete": true.')
 * // { type: 'message-interrupt', messageId: 'm1', error: { code: 'stream-interrupted', message: '…' } }
 * ```
 */
export function streamInterrupted(messageId: string, message: string): MessageInterruptEvent {
  return { type: 'message-interrupt', messageId, error: { code: 'stream-interrupted', message } }
}
