import { type Message, messageText } from '@sluice/core'
import { englishLabels, type Labels } from '../labels.ts'

/**
 * The default words announced once when an assistant message ends: the answer's text when
 * it completed, otherwise what happened (in `labels`' `announcements`, English by default).
 * `undefined` means "announce nothing".
 *
 * @example
 * ```ts
 * announceMessage({ id: 'a', role: 'assistant', status: 'error', parts: [], error: { message: 'Rate limited' } })
 * // 'The answer failed: Rate limited'
 * ```
 */
export function announceMessage(
  message: Message,
  renderedText?: string,
  labels: Labels = englishLabels,
): string | undefined {
  if (message.role !== 'assistant') return undefined
  const { announcements: words, format } = labels
  switch (message.status) {
    case 'complete': {
      const text = (renderedText ?? messageText(message)).trim()
      return text === '' ? words.complete : text
    }
    case 'error':
      return words.error(message.error?.message ?? words.unknownError, format)
    case 'interrupted':
      return words.interrupted
    case 'cancelled':
      return words.cancelled
    default:
      return undefined
  }
}
