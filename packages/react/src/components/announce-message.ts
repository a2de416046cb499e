import { type Message, messageText } from '@sluice/core'

/**
 * The default words announced once when an assistant message ends: the answer's text when
 * it completed, otherwise what happened. `undefined` means "announce nothing".
 *
 * @example
 * ```ts
 * announceMessage({ id: 'a', role: 'assistant', status: 'error', parts: [], error: { message: 'Rate limited' } })
 * // 'The answer failed: Rate limited'
 * ```
 */
export function announceMessage(message: Message, renderedText?: string): string | undefined {
  if (message.role !== 'assistant') return undefined
  switch (message.status) {
    case 'complete': {
      const text = (renderedText ?? messageText(message)).trim()
      return text === '' ? 'The answer is complete.' : text
    }
    case 'error':
      return `The answer failed: ${message.error?.message ?? 'unknown error'}`
    case 'interrupted':
      return 'The answer was interrupted.'
    case 'cancelled':
      return 'The answer was stopped.'
    default:
      return undefined
  }
}
