/**
 * Test helper: a message compared across a round trip, without what only the decoder words.
 *
 * @module
 */
import type { Message } from '../../message.ts'

/**
 * `message` without its error when it is `interrupted`: the interrupt's wording is the decoder's
 * own (the wire cannot carry one); everything else must match exactly.
 *
 * @example
 * ```ts
 * expect(withoutInterruptError(decoded)).toEqual(withoutInterruptError(expected))
 * ```
 */
export function withoutInterruptError(message: Message | undefined) {
  if (message?.status !== 'interrupted') return message
  const { error: _error, ...rest } = message
  return rest
}
