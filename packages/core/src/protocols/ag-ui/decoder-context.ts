/**
 * What every part of the AG-UI decoder shares: the one message of the run, and the rule for
 * content that names something never started.
 *
 * @module
 */
import type { DecoderOptions } from '../../protocol.ts'
import { createMessageEmitter, type MessageEmitter } from '../shared/index.ts'

/** The message id used when neither the caller nor the run gives one. */
export const agUiDefaultMessageId = 'ag-ui-message'

/** The state every AG-UI event family ({@link AgUiEventFamily}) reads and writes. */
export interface AgUiContext {
  /** The one message the stream's runs build. */
  readonly message: MessageEmitter
  /** Start the message if it has not started, and give its id (for the event about to be pushed). */
  started(): string
  /** The next number of a `*_CHUNK` id the wire did not give (one counter for text, reasoning and tools). */
  nextChunkNumber(): number
  /** End the message `error`: `eventType` named a `what` with id `id` before its `startType`. */
  missingStart(eventType: string, what: string, id: string, startType: string): void
}

/** One family of AG-UI events (`TEXT_MESSAGE_*`, `TOOL_CALL_*`, …), as the decoder dispatches them. */
export interface AgUiEventFamily {
  /** Apply one event of the family (`type` is already read; unknown types are no-ops). */
  apply(type: string, event: Record<string, unknown>): void
  /** Another event than this family's `*_CHUNK` came: close what a chunk opened, as the AG-UI client does. */
  closeChunk?(type: string): void
}

/**
 * The shared state of one AG-UI decoder.
 *
 * @example
 * ```ts
 * const context = createAgUiContext({ messageId: 'm1' })
 * context.missingStart('TOOL_CALL_ARGS', 'tool call', 'c1', 'TOOL_CALL_START')
 * context.message.take() // [message-start, message-error (invalid-event-order)]
 * ```
 */
export function createAgUiContext(options: DecoderOptions | undefined): AgUiContext {
  const message = createMessageEmitter({
    messageId: options?.messageId,
    fallbackMessageId: agUiDefaultMessageId,
  })
  let chunkCount = 0
  return {
    message,
    started() {
      message.start()
      return message.messageId
    },
    nextChunkNumber: () => ++chunkCount,
    missingStart(eventType, what, id, startType) {
      message.fail({
        code: 'invalid-event-order',
        message: `Received ${eventType} for ${what} "${id}", which was never started. Ensure a ${startType} event is sent before it.`,
      })
    },
  }
}
