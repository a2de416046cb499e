/**
 * The encode direction of `agent-events`, for mocks.
 *
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { Usage } from '../../message.ts'
import type { EncoderOptions, Frame, ProtocolCodec, ProtocolEncoder } from '../../protocol.ts'
import { finishReasonToBackend } from '../shared/finish-reason.ts'
import { toolExecutionDataName } from './decode.ts'

/** Options of the `agent-events` encoder. */
export interface AgentEventsEncoderOptions extends EncoderOptions {
  /**
   * The serde representation: `internal` (`{"type": "TextDelta", "delta": "Hi", "timestamp": null}`,
   * the default, `#[serde(tag = "type")]`) or `external` (`{"TextDelta": {"delta": "Hi", "timestamp": null}}`,
   * serde's default).
   */
  tagging?: 'internal' | 'external'
  /** Variant names as written: `PascalCase` (the default) or `snake_case` (`rename_all = "snake_case"`). */
  naming?: 'PascalCase' | 'snake_case'
  /** `IterationStart.max_iterations` when the events carry no `maxIterations` metadata. Default 10. */
  maxIterations?: number
}

/** What the encoder remembers about a tool call until `ToolCallStart` can be sent with its arguments. */
interface EncodedToolCall {
  name: string
  inputText: string
  /** The backend's measured run time (a `tool-execution` data event), when the events carry one. */
  executionTimeMs: number | undefined
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
 * An encoder for one `agent-events` response, writing exactly the `StreamEvent` shapes of
 * aof-runtime's design document (seed 003), every field present as serde writes it (`None` is
 * `null`):
 *
 * - `text-delta` → `TextDelta {delta, timestamp}` (`timestamp`: the event's `at`, else `null`);
 *   `reasoning-delta` → `Thinking {content}`.
 * - `tool-call-start` / `tool-call-delta` are collected (the wire has no input deltas), and
 *   `tool-call-end` → `ToolCallStart {tool_name, tool_id, arguments}` with the whole input
 *   (a JSON object; the text itself when the input is not JSON).
 * - `tool-result` → `ToolCallComplete {tool_name, tool_id, success: true, execution_time_ms,
 *   error: null}`, `tool-error` → `{…, success: false, error}`. The wire has no place for the
 *   tool's output: it is dropped. `execution_time_ms` comes from a `data` event named
 *   `tool-execution` for the call, else `0`.
 * - `step-start` → `IterationStart {iteration, max_iterations}` (the number from a step id
 *   `iteration-<n>`, else counted from 1; `max_iterations` from the `maxIterations` metadata or
 *   the encoder option, default 10), `step-end` → `IterationComplete {iteration, stop_reason}`
 *   (`tool_use` after an iteration that called tools, else `end_turn`, unless the event names one).
 * - `message-end` → `Done {content, total_iterations, execution_time_ms, input_tokens,
 *   output_tokens}`: `content` is the end's `content` or else all streamed text, the counts
 *   from the usage (events before it merged in; `0` when unknown), `execution_time_ms` from
 *   the `executionTimeMs` metadata, else `0`.
 * - `message-error` → `Error {message}`; `message-abort` → `Error {message: "Execution
 *   cancelled by user"}`, what the backend sends when a run is cancelled.
 * - Sources, files, other data and metadata are dropped; `message-interrupt` sends nothing (the
 *   stream just stops).
 *
 * @example
 * ```ts
 * const encoder = agentEventsCodec.createEncoder({ tagging: 'external' })
 * encoder.encode({ type: 'text-delta', messageId: 'm1', id: 't', delta: 'Hi' })
 * // [{ data: '{"TextDelta":{"delta":"Hi","timestamp":null}}' }]
 * ```
 */
export function createAgentEventsEncoder(options: AgentEventsEncoderOptions = {}): ProtocolEncoder {
  const tagging = options.tagging ?? 'internal'
  const naming = options.naming ?? 'PascalCase'
  const toolCalls = new Map<string, EncodedToolCall>()
  let usage: Usage | undefined
  let iteration = 0
  let iterations = 0
  let iterationCalledTools = false
  let maxIterations = options.maxIterations ?? 10
  let executionTimeMs: number | undefined
  let streamedText = ''
  let ended = false

  function frame(variant: string, fields: Record<string, unknown>): Frame[] {
    const name = naming === 'snake_case' ? toSnakeCase(variant) : variant
    if (tagging === 'internal') return [{ data: JSON.stringify({ type: name, ...fields }) }]
    return [{ data: JSON.stringify({ [name]: fields }) }]
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

  function callOf(toolCallId: string, toolName?: string): EncodedToolCall {
    let call = toolCalls.get(toolCallId)
    if (call === undefined) {
      call = { name: toolName ?? '', inputText: '', executionTimeMs: undefined }
      toolCalls.set(toolCallId, call)
    }
    return call
  }

  function complete(toolCallId: string, error: string | null): Frame[] {
    const call = callOf(toolCallId)
    return frame('ToolCallComplete', {
      tool_name: call.name,
      tool_id: toolCallId,
      success: error === null,
      execution_time_ms: call.executionTimeMs ?? 0,
      error,
    })
  }

  function readMetadata(metadata: Record<string, unknown> | undefined): void {
    if (metadata === undefined) return
    if (typeof metadata.maxIterations === 'number') maxIterations = metadata.maxIterations
    if (typeof metadata.executionTimeMs === 'number') executionTimeMs = metadata.executionTimeMs
  }

  return {
    encode(event: ChatEvent): Frame[] {
      if (ended) return []
      switch (event.type) {
        case 'message-start':
        case 'metadata':
          readMetadata(event.metadata)
          return []
        case 'text-delta':
          if (event.delta === '') return []
          streamedText += event.delta
          return frame('TextDelta', { delta: event.delta, timestamp: event.at ?? null })
        case 'reasoning-delta':
          return event.delta === '' ? [] : frame('Thinking', { content: event.delta })
        case 'tool-call-start':
          callOf(event.toolCallId, event.toolName)
          return []
        case 'tool-call-delta':
          callOf(event.toolCallId).inputText += event.delta
          return []
        case 'tool-call-end': {
          const call = callOf(event.toolCallId, event.toolName)
          if (call.name === '' && event.toolName !== undefined) call.name = event.toolName
          if (event.inputText !== undefined) call.inputText = event.inputText
          iterationCalledTools = true
          return frame('ToolCallStart', {
            tool_name: call.name,
            tool_id: event.toolCallId,
            arguments: event.input ?? argumentsValue(call.inputText),
          })
        }
        case 'data':
          if (event.name === toolExecutionDataName && event.id !== undefined) {
            const data = event.data as { executionTimeMs?: unknown } | null
            if (typeof data?.executionTimeMs === 'number')
              callOf(event.id).executionTimeMs = data.executionTimeMs
          }
          return []
        case 'tool-result':
          return complete(event.toolCallId, null)
        case 'tool-error':
          return complete(event.toolCallId, event.errorText)
        case 'step-start':
          iterations += 1
          iterationCalledTools = false
          return frame('IterationStart', {
            iteration: iterationOf(event.stepId, true),
            max_iterations: maxIterations,
          })
        case 'step-end':
          return frame('IterationComplete', {
            iteration: iterationOf(event.stepId, false),
            stop_reason:
              event.finishReason !== undefined
                ? finishReasonToBackend(event.finishReason)
                : iterationCalledTools
                  ? 'tool_use'
                  : 'end_turn',
          })
        case 'usage':
          usage = { ...usage, ...event.usage }
          return []
        case 'message-end': {
          ended = true
          readMetadata(event.metadata)
          if (event.usage !== undefined) usage = { ...usage, ...event.usage }
          return frame('Done', {
            content: event.content ?? streamedText,
            total_iterations: Math.max(iterations, 1),
            execution_time_ms: executionTimeMs ?? 0,
            input_tokens: usage?.inputTokens ?? 0,
            output_tokens: usage?.outputTokens ?? 0,
          })
        }
        case 'message-error':
          ended = true
          return frame('Error', { message: event.error.message })
        case 'message-abort':
          ended = true
          return frame('Error', { message: 'Execution cancelled by user' })
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
 * The `agent-events` codec (events → frames, the shapes of seed 003). Default framing `sse`;
 * internally tagged unless the encoder is created with `{ tagging: 'external' }`.
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
