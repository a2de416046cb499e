/**
 * Test helper: the one message an event sequence gives.
 *
 * @module
 */
import { expect } from 'vitest'
import type { ChatEvent } from '../../events.ts'
import type { Message } from '../../message.ts'
import { initialChatState, reduceChat } from '../../reducer.ts'

/**
 * Reduce `events` from the initial state, assert they gave exactly one message (with the id
 * `messageId`, when given), and return it.
 *
 * @example
 * ```ts
 * const message = onlyMessage(decodeChunks(anthropicProtocol, [body]))
 * expect(message.status).toBe('complete')
 * onlyMessage(events, 'm1') // also asserts the message's id is 'm1'
 * ```
 */
export function onlyMessage(events: readonly ChatEvent[], messageId?: string): Message {
  const state = reduceChat(initialChatState, events)
  if (messageId === undefined) expect(state.messageIds).toHaveLength(1)
  else expect(state.messageIds).toEqual([messageId])
  return state.messages[state.messageIds[0]!]!
}
