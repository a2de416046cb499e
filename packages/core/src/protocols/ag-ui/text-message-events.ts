/**
 * AG-UI text messages (`TEXT_MESSAGE_*`): every assistant text message of a run is a text part
 * of the one Sluice message, its AG-UI message id the part id; other roles are skipped.
 *
 * @module
 */
import { stringField } from '../json-frame.ts'
import type { AgUiContext, AgUiEventFamily } from './decoder-context.ts'

/**
 * The `TEXT_MESSAGE_START` / `_CONTENT` / `_END` / `_CHUNK` events of one decoder.
 *
 * @example
 * ```ts
 * const text = createTextMessageEvents(createAgUiContext({ messageId: 'm1' }))
 * text.apply('TEXT_MESSAGE_START', { messageId: 'x', role: 'assistant' }) // text-start x
 * ```
 */
export function createTextMessageEvents(context: AgUiContext): AgUiEventFamily {
  const { message } = context
  const open = new Set<string>()
  const skipped = new Set<string>()
  /** The text message a `TEXT_MESSAGE_CHUNK` opened, closed by the next other event. */
  let chunk: string | undefined

  function start(id: string): void {
    if (open.has(id)) return
    open.add(id)
    message.push({ type: 'text-start', messageId: context.started(), id })
  }

  function delta(id: string, text: string): void {
    if (text !== '') message.push({ type: 'text-delta', messageId: context.started(), id, delta: text })
  }

  function end(id: string): void {
    open.delete(id)
    message.push({ type: 'text-end', messageId: context.started(), id })
  }

  return {
    apply(type, event) {
      switch (type) {
        case 'TEXT_MESSAGE_START': {
          const id = stringField(event.messageId)
          if (id === undefined) return
          const role = stringField(event.role)
          if (role !== undefined && role !== 'assistant') {
            skipped.add(id)
            return
          }
          start(id)
          return
        }
        case 'TEXT_MESSAGE_CONTENT': {
          const id = stringField(event.messageId)
          if (id === undefined || skipped.has(id)) return
          if (!open.has(id)) {
            context.missingStart(type, 'text message', id, 'TEXT_MESSAGE_START')
            return
          }
          delta(id, stringField(event.delta) ?? '')
          return
        }
        case 'TEXT_MESSAGE_END': {
          const id = stringField(event.messageId)
          if (id === undefined) return
          if (skipped.delete(id)) return
          if (!open.has(id)) {
            context.missingStart(type, 'text message', id, 'TEXT_MESSAGE_START')
            return
          }
          end(id)
          return
        }
        case 'TEXT_MESSAGE_CHUNK': {
          const role = stringField(event.role)
          const id = stringField(event.messageId) ?? chunk ?? `text-chunk-${context.nextChunkNumber()}`
          if ((role !== undefined && role !== 'assistant') || skipped.has(id)) {
            skipped.add(id)
            return
          }
          if (id !== chunk && chunk !== undefined) end(chunk)
          if (!open.has(id)) start(id)
          chunk = id
          delta(id, stringField(event.delta) ?? '')
          return
        }
        default:
          // Newer types of this family are no-ops.
          return
      }
    },
    closeChunk(type) {
      if (chunk === undefined || type === 'TEXT_MESSAGE_CHUNK') return
      if (open.has(chunk)) end(chunk)
      chunk = undefined
    },
  }
}
