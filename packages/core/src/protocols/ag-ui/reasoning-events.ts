/**
 * AG-UI reasoning: `REASONING_MESSAGE_*` by message id, `REASONING_ENCRYPTED_VALUE` as a
 * reasoning part's signature, and the older `THINKING_TEXT_MESSAGE_*`, which has no id
 * (`thinking-1`, `thinking-2`, …). The span events carry nothing to show.
 *
 * @module
 */
import { stringField } from '../json-frame.ts'
import type { AgUiContext, AgUiEventFamily } from './decoder-context.ts'

/**
 * The `REASONING_*` and `THINKING_*` events of one decoder.
 *
 * @example
 * ```ts
 * const reasoning = createReasoningEvents(createAgUiContext({ messageId: 'm1' }))
 * reasoning.apply('THINKING_TEXT_MESSAGE_START', {}) // reasoning-start thinking-1
 * ```
 */
export function createReasoningEvents(context: AgUiContext): AgUiEventFamily {
  const { message } = context
  const open = new Set<string>()
  /** Every reasoning message of the stream, so a late encrypted value can still sign it. */
  const known = new Set<string>()
  /** The reasoning message a `REASONING_MESSAGE_CHUNK` opened, closed by the next other event. */
  let chunk: string | undefined
  let thinkingCount = 0
  let thinking: string | undefined

  function start(id: string): void {
    if (open.has(id)) return
    open.add(id)
    known.add(id)
    message.push({ type: 'reasoning-start', messageId: context.started(), id })
  }

  function delta(id: string, text: string): void {
    if (text !== '') message.push({ type: 'reasoning-delta', messageId: context.started(), id, delta: text })
  }

  function end(id: string): void {
    open.delete(id)
    message.push({ type: 'reasoning-end', messageId: context.started(), id })
  }

  return {
    apply(type, event) {
      switch (type) {
        case 'REASONING_MESSAGE_START': {
          const id = stringField(event.messageId)
          if (id !== undefined) start(id)
          return
        }
        case 'REASONING_MESSAGE_CONTENT': {
          const id = stringField(event.messageId)
          if (id === undefined) return
          if (!open.has(id)) {
            context.missingStart(type, 'reasoning message', id, 'REASONING_MESSAGE_START')
            return
          }
          delta(id, stringField(event.delta) ?? '')
          return
        }
        case 'REASONING_MESSAGE_END': {
          const id = stringField(event.messageId)
          if (id === undefined) return
          if (!open.has(id)) {
            context.missingStart(type, 'reasoning message', id, 'REASONING_MESSAGE_START')
            return
          }
          end(id)
          return
        }
        case 'REASONING_MESSAGE_CHUNK': {
          const id = stringField(event.messageId) ?? chunk ?? `reasoning-chunk-${context.nextChunkNumber()}`
          if (id !== chunk && chunk !== undefined) end(chunk)
          if (!open.has(id)) start(id)
          chunk = id
          delta(id, stringField(event.delta) ?? '')
          return
        }
        case 'REASONING_ENCRYPTED_VALUE': {
          const entityId = stringField(event.entityId)
          const encryptedValue = stringField(event.encryptedValue)
          if (event.subtype !== 'message' || entityId === undefined || encryptedValue === undefined) return
          if (!known.has(entityId)) return
          open.delete(entityId)
          message.push({
            type: 'reasoning-end',
            messageId: context.started(),
            id: entityId,
            signature: encryptedValue,
          })
          return
        }
        case 'THINKING_TEXT_MESSAGE_START': {
          thinkingCount++
          thinking = `thinking-${thinkingCount}`
          start(thinking)
          return
        }
        case 'THINKING_TEXT_MESSAGE_CONTENT': {
          if (thinking === undefined) {
            context.missingStart(type, 'thinking message', '(none)', 'THINKING_TEXT_MESSAGE_START')
            return
          }
          delta(thinking, stringField(event.delta) ?? '')
          return
        }
        case 'THINKING_TEXT_MESSAGE_END': {
          if (thinking === undefined) return
          end(thinking)
          thinking = undefined
          return
        }
        default:
          // REASONING_START/END, THINKING_START/END and newer types of this family are no-ops.
          return
      }
    },
    closeChunk(type) {
      if (chunk === undefined || type === 'REASONING_MESSAGE_CHUNK') return
      if (open.has(chunk)) end(chunk)
      chunk = undefined
    },
  }
}
