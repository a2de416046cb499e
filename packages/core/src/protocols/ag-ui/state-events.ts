/**
 * AG-UI state and other data: `STATE_SNAPSHOT` and `STATE_DELTA` keep one data part `state`
 * (id `state`) current, the delta applied as RFC 6902 JSON Patch (a patch that does not apply is
 * skipped, as AG-UI clients do); `MESSAGES_SNAPSHOT` is a data part `messages`; `CUSTOM
 * {name, value}` a data part `name`.
 *
 * @module
 */
import { stringField } from '../json-frame.ts'
import { applyJsonPatch } from './apply-json-patch.ts'
import type { AgUiContext, AgUiEventFamily } from './decoder-context.ts'

/**
 * The `STATE_*`, `MESSAGES_SNAPSHOT` and `CUSTOM` events of one decoder; every other type it is
 * given (`RAW`, `ACTIVITY_*`, `SUBAGENT_*`, newer types) is a no-op.
 *
 * @example
 * ```ts
 * const data = createStateEvents(createAgUiContext({ messageId: 'm1' }))
 * data.apply('STATE_SNAPSHOT', { snapshot: { count: 1 } })
 * data.apply('STATE_DELTA', { delta: [{ op: 'replace', path: '/count', value: 2 }] }) // data state { count: 2 }
 * ```
 */
export function createStateEvents(context: AgUiContext): AgUiEventFamily {
  const { message } = context
  let state: unknown = {}

  function pushState(): void {
    message.push({ type: 'data', messageId: context.started(), name: 'state', id: 'state', data: state })
  }

  return {
    apply(type, event) {
      switch (type) {
        case 'STATE_SNAPSHOT':
          state = event.snapshot
          pushState()
          return
        case 'STATE_DELTA': {
          if (!Array.isArray(event.delta)) return
          try {
            state = applyJsonPatch(state, event.delta)
          } catch {
            // A patch against a state this client never saw: skipped, the next snapshot resyncs.
            return
          }
          pushState()
          return
        }
        case 'MESSAGES_SNAPSHOT':
          message.push({
            type: 'data',
            messageId: context.started(),
            name: 'messages',
            id: 'messages',
            data: event.messages,
          })
          return
        case 'CUSTOM': {
          const name = stringField(event.name)
          if (name === undefined || name === '') return
          message.push({ type: 'data', messageId: context.started(), name, data: event.value })
          return
        }
        default:
          // RAW, ACTIVITY_*, SUBAGENT_* and newer types.
          return
      }
    },
  }
}
