/**
 * The open text or reasoning block of a decoder whose wire sends bare deltas without block
 * boundaries (agent backends' `Text`/`Reasoning` events, `stream-delta` snapshots).
 *
 * @module
 */
import type { ChatEvent } from '../../events.ts'

/** Which kind of block a delta belongs to. */
export type TextBlockType = 'text' | 'reasoning'

/** The block tracker {@link createTextBlocks} returns. */
export interface TextBlocks {
  /** Append `delta` to the open block of `type`, closing a block of the other type and starting one first if needed. */
  append(events: ChatEvent[], type: TextBlockType, delta: string): void
  /** Close the open block, if any (before a tool call, a step boundary or the end). */
  close(events: ChatEvent[]): void
}

/**
 * Track the one open block for `messageId`: a delta of the other type (or after a close) ends
 * the open block and starts a new one. Ids are deterministic per type (`text-0`, `reasoning-0`,
 * `text-1`, …) so the same stream always gives the same parts.
 *
 * @example
 * ```ts
 * const blocks = createTextBlocks('a1')
 * const events: ChatEvent[] = []
 * blocks.append(events, 'reasoning', 'Thinking')
 * blocks.append(events, 'text', 'Hi') // reasoning-end, text-start, text-delta
 * blocks.close(events) // text-end
 * ```
 */
export function createTextBlocks(messageId: string): TextBlocks {
  const blockCount = { text: 0, reasoning: 0 }
  let openBlock: { type: TextBlockType; id: string } | undefined

  function close(events: ChatEvent[]): void {
    if (openBlock === undefined) return
    events.push({
      type: openBlock.type === 'text' ? 'text-end' : 'reasoning-end',
      messageId,
      id: openBlock.id,
    })
    openBlock = undefined
  }

  function append(events: ChatEvent[], type: TextBlockType, delta: string): void {
    if (openBlock?.type !== type) {
      close(events)
      const id = `${type}-${blockCount[type]}`
      blockCount[type] += 1
      openBlock = { type, id }
      events.push({ type: type === 'text' ? 'text-start' : 'reasoning-start', messageId, id })
    }
    events.push({
      type: type === 'text' ? 'text-delta' : 'reasoning-delta',
      messageId,
      id: openBlock.id,
      delta,
    })
  }

  return { append, close }
}
