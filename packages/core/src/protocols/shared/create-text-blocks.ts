/**
 * The open text or reasoning block of a decoder whose wire sends bare deltas without block
 * boundaries (Ollama and Gemini parts, OpenAI Chat deltas, agent backends' `Text`/`Reasoning`
 * events, `stream-delta` snapshots).
 *
 * @module
 */
import type { ChatEvent } from '../../events.ts'

/** Which kind of block a delta belongs to. A refusal is text with `refusal: true`, in its own block. */
export type TextBlockType = 'text' | 'reasoning' | 'refusal'

/** Where blocks push their events: an event array, or a {@link MessageEmitter}. */
export interface EventSink {
  push(...events: ChatEvent[]): unknown
}

/** Options of {@link createTextBlocks}. */
export interface TextBlocksOptions {
  /**
   * `per-type` (default): `text-0`, `reasoning-0`, `text-1`, … (a counter per type).
   * `shared`: one counter for every type: `reasoning-0`, `text-1`, `text-2`, …
   */
  numbering?: 'per-type' | 'shared'
  /** The first number (default 0). */
  firstNumber?: number
}

/** The block tracker {@link createTextBlocks} returns. */
export interface TextBlocks {
  /** Append `delta` to the open block of `type`, closing a block of another type and starting one first if needed. Empty deltas do nothing. */
  append(sink: EventSink, type: TextBlockType, delta: string): void
  /** Close the open block, if any (before a tool call, a step boundary or the end); `signature` goes on a reasoning end. */
  close(sink: EventSink, signature?: string): void
  /** The open block, if any. */
  readonly open: { readonly type: TextBlockType; readonly id: string } | undefined
  /** The id the next block of `type` will get. */
  nextId(type: TextBlockType): string
}

/**
 * Track the one open block for `messageId` (a string, or a function when the id may still be
 * adopted from the wire): a delta of another type (or after a close) ends the open block and
 * starts a new one. Ids are deterministic so the same stream always gives the same parts.
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
export function createTextBlocks(
  messageId: string | (() => string),
  options: TextBlocksOptions = {},
): TextBlocks {
  const idOf = typeof messageId === 'string' ? () => messageId : messageId
  const first = options.firstNumber ?? 0
  const counts = { text: first, reasoning: first, refusal: first }
  let sharedCount = first
  let openBlock: { type: TextBlockType; id: string } | undefined

  function nextId(type: TextBlockType): string {
    return `${type}-${options.numbering === 'shared' ? sharedCount : counts[type]}`
  }

  function close(sink: EventSink, signature?: string): void {
    if (openBlock === undefined) return
    const { type, id } = openBlock
    openBlock = undefined
    if (type !== 'reasoning') sink.push({ type: 'text-end', messageId: idOf(), id })
    else if (signature === undefined) sink.push({ type: 'reasoning-end', messageId: idOf(), id })
    else sink.push({ type: 'reasoning-end', messageId: idOf(), id, signature })
  }

  function append(sink: EventSink, type: TextBlockType, delta: string): void {
    if (delta === '') return
    if (openBlock?.type !== type) {
      close(sink)
      const id = nextId(type)
      counts[type] += 1
      sharedCount += 1
      openBlock = { type, id }
      if (type === 'reasoning') sink.push({ type: 'reasoning-start', messageId: idOf(), id })
      else if (type === 'refusal') sink.push({ type: 'text-start', messageId: idOf(), id, refusal: true })
      else sink.push({ type: 'text-start', messageId: idOf(), id })
    }
    sink.push({
      type: type === 'reasoning' ? 'reasoning-delta' : 'text-delta',
      messageId: idOf(),
      id: openBlock.id,
      delta,
    })
  }

  return {
    append,
    close,
    get open() {
      return openBlock
    },
    nextId,
  }
}
