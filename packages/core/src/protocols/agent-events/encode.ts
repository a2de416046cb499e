/**
 * The encode direction of `agent-events`, for mocks.
 *
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { Usage } from '../../message.ts'
import type { EncoderOptions, Frame, ProtocolCodec, ProtocolEncoder } from '../../protocol.ts'
import { errorToBackend } from './backend-error.ts'
import { finishReasonToBackend } from './backend-finish-reason.ts'
import { usageToBackend } from './backend-usage.ts'

/** Options of the `agent-events` encoder. */
export interface AgentEventsEncoderOptions extends EncoderOptions {
  /**
   * The serde representation: `internal` (`{"type": "TextDelta", "text": "Hi"}`, the default,
   * `#[serde(tag = "type")]`) or `external` (`{"TextDelta": {"text": "Hi"}}`, serde's default;
   * a unit variant is a bare string `"Done"`).
   */
  tagging?: 'internal' | 'external'
  /** Variant names as written: `PascalCase` (the default) or `snake_case` (`rename_all = "snake_case"`). */
  naming?: 'PascalCase' | 'snake_case'
}

/** What the encoder remembers about a tool call, to repeat it in `ToolCallComplete`. */
interface EncodedToolCall {
  name: string
  inputText: string
  arguments: unknown
}

function toSnakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter, offset: number) => (offset === 0 ? '' : '_') + letter.toLowerCase())
}

/** Arguments as an agent sends them: the parsed object when the text is JSON, else the text itself. */
function argumentsValue(inputText: string): unknown {
  if (inputText.trim() === '') return {}
  try {
    return JSON.parse(inputText) as unknown
  } catch {
    return inputText
  }
}

/**
 * An encoder for one `agent-events` response.
 *
 * - `text-delta` → `TextDelta {text}`; `reasoning-delta` → `Thinking {text}`.
 * - `tool-call-start` → `ToolCallStart {id, name}`; the input deltas are collected (the wire
 *   has no input deltas), and `tool-call-end` → `ToolCallComplete {id, name, arguments}` with
 *   the arguments as a JSON object (as a string when the input is not JSON).
 * - `tool-result` / `tool-error` → `ToolCallComplete {id, name, arguments, result}` /
 *   `{…, error}`: the same call again, now with its outcome.
 * - `step-start` → `IterationStart {iteration}`, `step-end` → `IterationComplete {iteration}`,
 *   the number taken from a step id `iteration-<n>`, else counted from 1.
 * - `message-end` → `Done {content?, usage?, finish_reason?}`; `usage` events before it are
 *   merged into its usage (the wire has no separate usage event). A bare `Done` (`"Done"`
 *   when externally tagged) when there is nothing to say.
 * - `message-error` → `Error {message, code?}`.
 * - Sources, files, data and metadata are dropped; `message-interrupt` and `message-abort`
 *   send nothing (the stream just stops).
 *
 * @example
 * ```ts
 * const encoder = agentEventsCodec.createEncoder({ tagging: 'external' })
 * encoder.encode({ type: 'text-delta', messageId: 'm1', id: 't', delta: 'Hi' })
 * // [{ data: '{"TextDelta":{"text":"Hi"}}' }]
 * ```
 */
export function createAgentEventsEncoder(options: AgentEventsEncoderOptions = {}): ProtocolEncoder {
  const tagging = options.tagging ?? 'internal'
  const naming = options.naming ?? 'PascalCase'
  const toolCalls = new Map<string, EncodedToolCall>()
  let usage: Usage | undefined
  let iteration = 0
  let ended = false

  function frame(variant: string, fields?: Record<string, unknown>): Frame[] {
    const name = naming === 'snake_case' ? toSnakeCase(variant) : variant
    if (tagging === 'internal') return [{ data: JSON.stringify({ type: name, ...fields }) }]
    return [{ data: JSON.stringify(fields === undefined ? name : { [name]: fields }) }]
  }

  function iterationOf(stepId: string | undefined, starting: boolean): number {
    const match = stepId === undefined ? null : /^iteration-(\d+)$/.exec(stepId)
    if (match !== null) {
      iteration = Number(match[1])
      return iteration
    }
    if (starting) iteration += 1
    return iteration
  }

  function toolCallFields(toolCallId: string): Record<string, unknown> {
    const call = toolCalls.get(toolCallId) ?? { name: '', inputText: '', arguments: {} }
    return { id: toolCallId, name: call.name, arguments: call.arguments }
  }

  return {
    encode(event: ChatEvent): Frame[] {
      if (ended) return []
      switch (event.type) {
        case 'text-delta':
          return event.delta === '' ? [] : frame('TextDelta', { text: event.delta })
        case 'reasoning-delta':
          return event.delta === '' ? [] : frame('Thinking', { text: event.delta })
        case 'tool-call-start':
          if (toolCalls.has(event.toolCallId)) return []
          toolCalls.set(event.toolCallId, { name: event.toolName, inputText: '', arguments: undefined })
          return frame('ToolCallStart', { id: event.toolCallId, name: event.toolName })
        case 'tool-call-delta': {
          const call = toolCalls.get(event.toolCallId)
          if (call !== undefined) call.inputText += event.delta
          return []
        }
        case 'tool-call-end': {
          let call = toolCalls.get(event.toolCallId)
          if (call === undefined) {
            call = { name: event.toolName ?? '', inputText: '', arguments: undefined }
            toolCalls.set(event.toolCallId, call)
          }
          if (event.inputText !== undefined) call.inputText = event.inputText
          call.arguments = event.input ?? argumentsValue(call.inputText)
          return frame('ToolCallComplete', toolCallFields(event.toolCallId))
        }
        case 'tool-result':
          return frame('ToolCallComplete', { ...toolCallFields(event.toolCallId), result: event.output })
        case 'tool-error':
          return frame('ToolCallComplete', { ...toolCallFields(event.toolCallId), error: event.errorText })
        case 'step-start':
          return frame('IterationStart', { iteration: iterationOf(event.stepId, true) })
        case 'step-end':
          return frame('IterationComplete', { iteration: iterationOf(event.stepId, false) })
        case 'usage':
          usage = { ...usage, ...event.usage }
          return []
        case 'message-end': {
          ended = true
          if (event.usage !== undefined) usage = { ...usage, ...event.usage }
          const fields: Record<string, unknown> = {}
          if (event.content !== undefined) fields.content = event.content
          if (usage !== undefined) fields.usage = usageToBackend(usage)
          if (event.finishReason !== undefined || event.rawFinishReason !== undefined) {
            fields.finish_reason = finishReasonToBackend(event.finishReason, event.rawFinishReason)
          }
          return frame(
            'Done',
            Object.keys(fields).length === 0 && tagging === 'external' ? undefined : fields,
          )
        }
        case 'message-error':
          ended = true
          return frame('Error', errorToBackend(event.error))
        default:
          return []
      }
    },
    end(): Frame[] {
      return []
    },
  }
}

/**
 * The `agent-events` codec (events → frames). Default framing `sse`; internally tagged unless
 * the encoder is created with `{ tagging: 'external' }`.
 *
 * @example
 * ```ts
 * import { agentEventsCodec } from '@sluice/core/encoders'
 * const encoder = agentEventsCodec.createEncoder({ tagging: 'external', naming: 'snake_case' })
 * ```
 */
export const agentEventsCodec: ProtocolCodec = {
  id: 'agent-events',
  framing: 'sse',
  createEncoder: createAgentEventsEncoder,
  encodeError(_status: number, message: string, options?: { code?: string }) {
    return { error: options?.code === undefined ? { message } : { message, code: options.code } }
  },
}
