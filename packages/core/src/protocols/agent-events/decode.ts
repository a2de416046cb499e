/**
 * The `agent-events` protocol: a Rust agent backend streaming a serde-serialized `StreamEvent` enum.
 *
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { MessageError, Usage } from '../../message.ts'
import type { DecoderOptions, Protocol } from '../../protocol.ts'
import { isRecord, stringField } from '../json-frame.ts'
import {
  createJsonFrameDecoder,
  createMessageEmitter,
  createTextBlocks,
  errorFromBackend,
  errorFromBackendResponse,
  finishReasonFromBackend,
  type JsonFrameDecoder,
  type MessageEndFields,
  stringifyWireValue,
  usageFromBackend,
  WireValueError,
} from '../shared/index.ts'

/** The message id used when the caller gives none (the wire carries no message id). */
export const agentEventsDefaultMessageId = 'agent-events-response'

/**
 * The name of the `data` part that carries how long a tool ran, as the backend measured it
 * (`ToolCallComplete.execution_time_ms`). One part per tool call, its id the tool call id, its
 * data `{ toolCallId, success, executionTimeMs }`; `ChatMessage` shows it on the tool's card.
 *
 * @example
 * ```ts
 * const times = message.parts.filter((part) => part.type === 'data' && part.name === toolExecutionDataName)
 * ```
 */
export const toolExecutionDataName = 'tool-execution'

/**
 * What an `Error` event says when the run was cancelled rather than failed: aof-runtime sends
 * `Error { message: "Cancelled" }` from `execute_streaming_cancellable` and
 * `"Execution cancelled by user"` from its executor. Compared lowercased, without a final period,
 * with either spelling of "cancelled".
 */
const cancellationMessages = new Set([
  'cancelled',
  'cancelled by user',
  'cancelled by the user',
  'execution cancelled',
  'execution cancelled by user',
  'execution cancelled by the user',
  'request cancelled',
  'stream cancelled',
])

/**
 * Whether an agent's `Error` message reports a cancellation (the user pressed Stop and the
 * backend confirms it) rather than a failure.
 *
 * @example
 * ```ts
 * isCancellationMessage('Execution cancelled by user') // true
 * isCancellationMessage('Canceled.') // true
 * isCancellationMessage('LLM quota exceeded') // false
 * ```
 */
export function isCancellationMessage(message: string): boolean {
  const normalized = message
    .trim()
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/canceled/g, 'cancelled')
  return cancellationMessages.has(normalized)
}

/** The `StreamEvent` variants, by normalized name (lowercase, no `_`/`-`): every serde `rename_all` lands here. */
type Variant =
  | 'TextDelta'
  | 'ToolCallStart'
  | 'ToolCallComplete'
  | 'Thinking'
  | 'IterationStart'
  | 'IterationComplete'
  | 'Done'
  | 'Error'

const variantByNormalizedName = new Map<string, Variant>([
  ['textdelta', 'TextDelta'],
  ['toolcallstart', 'ToolCallStart'],
  ['toolcallcomplete', 'ToolCallComplete'],
  ['thinking', 'Thinking'],
  ['iterationstart', 'IterationStart'],
  ['iterationcomplete', 'IterationComplete'],
  ['done', 'Done'],
  ['error', 'Error'],
])

/**
 * The variant a serde-tagged name stands for, whatever `rename_all` produced it
 * (`TextDelta`, `text_delta`, `textDelta`, `text-delta`, `TEXT_DELTA`).
 *
 * @example
 * ```ts
 * agentEventVariant('text_delta') // 'TextDelta'
 * agentEventVariant('Heartbeat') // undefined
 * ```
 */
export function agentEventVariant(name: string): Variant | undefined {
  return variantByNormalizedName.get(name.toLowerCase().replace(/[-_.\s]/g, ''))
}

/** A decoded `StreamEvent`: its variant and its fields. */
interface TaggedEvent {
  variant: Variant
  fields: Record<string, unknown>
}

/** A newtype variant (`{"TextDelta": "Hi"}`) carries its one value; read it as every text-like field. */
function newtypeFields(value: unknown): Record<string, unknown> {
  if (isRecord(value)) return value
  if (value === null || value === undefined) return {}
  return { text: value, content: value, message: value, iteration: value }
}

/**
 * Read a frame's JSON value as a tagged `StreamEvent`, in every serde representation:
 * internally tagged (`{"type": "TextDelta", "text": "Hi"}`), adjacently tagged
 * (`{"type": "TextDelta", "data": {...}}`), externally tagged (`{"TextDelta": {"text": "Hi"}}`,
 * `{"TextDelta": "Hi"}` for a newtype variant), a unit variant as a bare string (`"Done"`), or
 * untagged fields with the variant in the SSE `event:` field.
 */
function readTaggedEvent(value: unknown, sseEvent: string | undefined): TaggedEvent | undefined {
  if (typeof value === 'string') {
    const variant = agentEventVariant(value)
    return variant === undefined ? undefined : { variant, fields: {} }
  }
  if (!isRecord(value)) return undefined
  const tag = stringField(value.type)
  if (tag !== undefined) {
    const variant = agentEventVariant(tag)
    if (variant === undefined) return undefined
    const keys = Object.keys(value)
    // Adjacent tagging (`#[serde(tag = "type", content = "data")]`): exactly the tag and the content.
    if (keys.length === 2) {
      for (const contentKey of ['data', 'content', 'payload']) {
        if (contentKey in value && isRecord(value[contentKey])) return { variant, fields: value[contentKey] }
      }
    }
    return { variant, fields: value }
  }
  if (sseEvent !== undefined) {
    const variant = agentEventVariant(sseEvent)
    if (variant !== undefined) return { variant, fields: value }
  }
  const keys = Object.keys(value)
  if (keys.length === 1) {
    const name = keys[0]!
    const variant = agentEventVariant(name)
    if (variant !== undefined) return { variant, fields: newtypeFields(value[name]) }
  }
  return undefined
}

/** A field by its `snake_case` name or its `camelCase` one (serde `rename_all_fields`). */
function field(fields: Record<string, unknown>, snakeName: string): unknown {
  if (Object.hasOwn(fields, snakeName)) return fields[snakeName]
  const camelName = snakeName.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase())
  return Object.hasOwn(fields, camelName) ? fields[camelName] : undefined
}

/** The first of `names` the event has (own fields only), with the name it was found under. */
function firstField(
  fields: Record<string, unknown>,
  names: readonly string[],
): [string, unknown] | undefined {
  for (const name of names) {
    const value = field(fields, name)
    if (value !== undefined && value !== null) return [name, value]
  }
  return undefined
}

/** How a wrong value is named in an error: its JSON type. */
function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

/** A wire value of the wrong type, found while reading one event. */
class WireTypeError extends Error {}

/** How an event ends the message (`Done`, `Error`), applied after the event's other events. */
type Ending =
  | { kind: 'end'; fields: MessageEndFields }
  | { kind: 'fail'; error: MessageError }
  | { kind: 'abort' }

/**
 * A decoder for one `agent-events` response: one run of aof-runtime's agent executor
 * (`execute_streaming`), whose every event is one serde-serialized `StreamEvent`.
 *
 * ## Wire format (seed 003)
 *
 * Every frame (an SSE `data:` payload by default, or an NDJSON line, or a WebSocket message)
 * is one value of this Rust enum, as the backend's design document defines it:
 *
 * ```rust
 * pub enum StreamEvent {
 *     TextDelta { delta: String, timestamp: Option<u64> },
 *     ToolCallStart { tool_name, tool_id, arguments },
 *     ToolCallComplete { tool_name, tool_id, success, execution_time_ms, error },
 *     Thinking { content: String },
 *     IterationStart { iteration, max_iterations },
 *     IterationComplete { iteration, stop_reason },
 *     Done { content, total_iterations, execution_time_ms, input_tokens, output_tokens },
 *     Error { message: String },
 * }
 * ```
 *
 * ### Taggings (all accepted, in any mix)
 *
 * - internally tagged, `#[serde(tag = "type")]`: `{"type": "TextDelta", "delta": "Hi", "timestamp": null}`;
 * - externally tagged (serde's default): `{"TextDelta": {"delta": "Hi", "timestamp": null}}`, a
 *   unit variant as a bare string `"Done"`, a newtype variant as `{"TextDelta": "Hi"}`;
 * - adjacently tagged, `#[serde(tag = "type", content = "data")]`: `{"type": "TextDelta", "data": {...}}`;
 * - the fields alone with the variant in the SSE `event:` line (`event: TextDelta`).
 *
 * Variant names are matched ignoring case, `_` and `-`, so every `rename_all` works:
 * `TextDelta`, `text_delta` (`snake_case`), `textDelta`, `TEXT_DELTA`, `text-delta`. Field names
 * are read in `snake_case` or `camelCase` (`tool_id` / `toolId`).
 *
 * ### Meaning
 *
 * | variant | events |
 * |---|---|
 * | `TextDelta { delta }` | text appended (a new text block after a tool call, thinking or an iteration boundary) |
 * | `Thinking { content }` | reasoning appended |
 * | `ToolCallStart { tool_name, tool_id, arguments }` | the card appears with its input, `running`: `tool-call-start`, `tool-call-end` (an object `arguments` is the input; a string is the input's JSON text), `tool-running` |
 * | `ToolCallComplete { tool_name, tool_id, success, execution_time_ms, error }` | `success: true` → `tool-result` (`output-available`; the wire carries no output, so `output` is absent); `success: false` or an `error` → `tool-error` with the error text. `execution_time_ms` → a `data` part named {@link toolExecutionDataName} (id: the tool id) |
 * | `IterationStart { iteration, max_iterations }` | `step-start`, step id `iteration-<n>`; `max_iterations` → message metadata `maxIterations` (the UI shows "Step 1 of 5") |
 * | `IterationComplete { iteration, stop_reason }` | `step-end`, its finish reason normalized from `stop_reason` |
 * | `Done { content, total_iterations, execution_time_ms, input_tokens, output_tokens }` | `message-end`, finish reason `stop`; usage `{inputTokens, outputTokens}`; metadata `totalIterations`, `executionTimeMs`. `content` is the final answer: when the streamed text does not already end with it, the message text becomes exactly `content` |
 * | `Error { message }` | `message-error`, except a cancellation (`"Cancelled"`, `"Execution cancelled by user"`, see {@link isCancellationMessage}) → `message-abort`: the run ends `cancelled`, as after Stop |
 *
 * ### Older spellings, still read
 *
 * `TextDelta`/`Thinking` with `text` or `content`; tool calls with `id`/`tool_call_id` and
 * `name`; `ToolCallComplete` with `arguments` and a `result` (or `output`) value; a
 * `ToolCallStart` without `arguments` (the input then comes with `ToolCallComplete`);
 * `IterationComplete` and `Done` with a `usage` object (`input_tokens`/`output_tokens`,
 * OpenAI's `prompt_tokens`/`completion_tokens` or camelCase) and a `finish_reason`; `Error`
 * with a `code`.
 *
 * ### Bad input and the end
 *
 * Unknown variants and unknown fields are ignored (a newer backend may add some). A known
 * event whose field has the wrong type (`"delta": 42`, `"execution_time_ms": "fast"`) ends the
 * message with a `message-error` naming the event and the field; a frame that is not valid JSON
 * followed by another frame ends it with a `message-error`, a malformed last frame (cut by the
 * end of the body) with a `message-interrupt` (the decoder kit's one policy); what had arrived
 * is kept. Anything after `Done` or `Error` is ignored. If the stream
 * ends without `Done` or `Error`, `end()` returns a `message-interrupt`. The wire carries no
 * message id: events use `options.messageId` (default `agent-events-response`); text blocks
 * are `text-0`, `text-1`, …, reasoning blocks `reasoning-0`, …; a tool call without an id gets
 * `<messageId>-call-<n>`.
 *
 * @example
 * ```ts
 * const decoder = agentEventsProtocol.createDecoder({ messageId: 'm1' })
 * decoder.decode({ data: '{"type":"TextDelta","delta":"Hi","timestamp":null}' }) // message-start, text-start, text-delta 'Hi'
 * decoder.decode({ data: '{"type":"ToolCallStart","tool_name":"search","tool_id":"t1","arguments":{"q":"x"}}' })
 * // text-end, tool-call-start, tool-call-end { input: { q: 'x' } }, tool-running
 * decoder.decode({ data: '{"type":"Done","content":"Hi","total_iterations":1,"execution_time_ms":900,"input_tokens":12,"output_tokens":3}' })
 * // message-end { finishReason: 'stop', usage: { inputTokens: 12, outputTokens: 3 }, metadata: { totalIterations: 1, executionTimeMs: 900 } }
 * ```
 */
export function createAgentEventsDecoder(options: DecoderOptions = {}): JsonFrameDecoder {
  const message = createMessageEmitter({
    messageId: options.messageId,
    fallbackMessageId: agentEventsDefaultMessageId,
  })
  const messageId = message.messageId
  const blocks = createTextBlocks(messageId)
  /** Tool calls seen, by wire id: whether their input has ended. */
  const toolCalls = new Map<string, { ended: boolean }>()
  let unnamedCalls = 0
  let iterations = 0
  let maxIterations: number | undefined
  /** All text streamed so far, to tell whether `Done.content` is already on screen. */
  let streamedText = ''

  const closeBlock = blocks.close

  /** A field that must be a string when present. */
  function stringOf(
    variant: Variant,
    fields: Record<string, unknown>,
    names: readonly string[],
  ): string | undefined {
    const found = firstField(fields, names)
    if (found === undefined) return undefined
    const [name, value] = found
    if (typeof value === 'string') return value
    throw new WireTypeError(`${variant}'s "${name}" is ${typeName(value)}, expected a string`)
  }

  /** A field that must be a finite number when present. */
  function numberOf(variant: Variant, fields: Record<string, unknown>, name: string): number | undefined {
    const value = field(fields, name)
    if (value === undefined || value === null) return undefined
    if (typeof value === 'number' && Number.isFinite(value)) return value
    throw new WireTypeError(`${variant}'s "${name}" is ${typeName(value)}, expected a number`)
  }

  function appendBlock(events: ChatEvent[], type: 'text' | 'reasoning', delta: string | undefined): void {
    if (delta === undefined || delta === '') return
    if (type === 'text') streamedText += delta
    blocks.append(events, type, delta)
  }

  function stepId(variant: Variant, fields: Record<string, unknown>, starting: boolean): string {
    const iteration = numberOf(variant, fields, 'iteration')
    if (iteration !== undefined) {
      if (starting) iterations = iteration
      return `iteration-${iteration}`
    }
    // No number on the wire: count iterations ourselves.
    if (starting) iterations += 1
    return `iteration-${iterations}`
  }

  function toolCallId(variant: Variant, fields: Record<string, unknown>): string | undefined {
    return stringOf(variant, fields, ['tool_id', 'id', 'tool_call_id'])
  }

  function toolName(variant: Variant, fields: Record<string, unknown>): string | undefined {
    return stringOf(variant, fields, ['tool_name', 'name'])
  }

  /** The tool-call-end for a call's `arguments`: an object is the input, a string its JSON text. */
  function inputEnd(id: string, name: string | undefined, input: unknown): ChatEvent {
    const end: ChatEvent = { type: 'tool-call-end', messageId, toolCallId: id }
    if (name !== undefined) end.toolName = name
    if (typeof input === 'string') end.inputText = input
    else if (input !== undefined && input !== null) {
      end.input = input
      end.inputText = stringifyWireValue(input, 'agent-events', `the arguments of tool call "${id}"`)
    }
    return end
  }

  function startToolCall(events: ChatEvent[], id: string, name: string | undefined): { ended: boolean } {
    closeBlock(events)
    const call = { ended: false }
    toolCalls.set(id, call)
    events.push({ type: 'tool-call-start', messageId, toolCallId: id, toolName: name ?? '' })
    return call
  }

  function toolCallStart(events: ChatEvent[], fields: Record<string, unknown>): void {
    const id = toolCallId('ToolCallStart', fields) ?? `${messageId}-call-${unnamedCalls++}`
    if (toolCalls.has(id)) return
    const name = toolName('ToolCallStart', fields)
    const call = startToolCall(events, id, name)
    const input = firstField(fields, ['arguments', 'input'])?.[1]
    // Older backends announce the call and send its input with ToolCallComplete.
    if (input === undefined) return
    call.ended = true
    events.push(inputEnd(id, name, input))
    events.push({ type: 'tool-running', messageId, toolCallId: id })
  }

  function toolCallComplete(events: ChatEvent[], fields: Record<string, unknown>): void {
    const name = toolName('ToolCallComplete', fields)
    const id = toolCallId('ToolCallComplete', fields) ?? `${messageId}-call-${unnamedCalls++}`
    const call = toolCalls.get(id) ?? startToolCall(events, id, name)
    if (!call.ended) {
      call.ended = true
      events.push(inputEnd(id, name, firstField(fields, ['arguments', 'input'])?.[1]))
    }
    const success = field(fields, 'success')
    if (success !== undefined && success !== null && typeof success !== 'boolean') {
      throw new WireTypeError(`ToolCallComplete's "success" is ${typeName(success)}, expected a boolean`)
    }
    const executionTimeMs = numberOf('ToolCallComplete', fields, 'execution_time_ms')
    if (executionTimeMs !== undefined) {
      events.push({
        type: 'data',
        messageId,
        name: toolExecutionDataName,
        id,
        data: { toolCallId: id, success: success !== false, executionTimeMs },
      })
    }
    const error = errorFromBackend(field(fields, 'error'), `The tool "${name ?? id}" failed.`)
    if (error !== undefined || success === false) {
      const errorText =
        error?.message ??
        `The tool "${name ?? id}" failed (the agent reported "success": false without an error message).`
      events.push({ type: 'tool-error', messageId, toolCallId: id, errorText })
      return
    }
    const output = firstField(fields, ['result', 'output'])?.[1]
    // The seed's ToolCallComplete carries no output: success alone completes the call.
    if (output === undefined && success !== true) return
    const result: ChatEvent = { type: 'tool-result', messageId, toolCallId: id, output }
    if (name !== undefined) result.toolName = name
    events.push(result)
  }

  function done(events: ChatEvent[], fields: Record<string, unknown>): Ending {
    closeBlock(events)
    const rawFinishReason = stringOf('Done', fields, ['finish_reason'])
    const end: MessageEndFields = {
      finishReason: rawFinishReason === undefined ? 'stop' : finishReasonFromBackend(rawFinishReason),
    }
    if (rawFinishReason !== undefined && rawFinishReason !== end.finishReason)
      end.rawFinishReason = rawFinishReason
    const usage: Usage = { ...usageFromBackend(field(fields, 'usage')) }
    const inputTokens = numberOf('Done', fields, 'input_tokens')
    const outputTokens = numberOf('Done', fields, 'output_tokens')
    if (inputTokens !== undefined) usage.inputTokens = inputTokens
    if (outputTokens !== undefined) usage.outputTokens = outputTokens
    if (Object.keys(usage).length > 0) end.usage = usage
    const metadata: Record<string, unknown> = {}
    const totalIterations = numberOf('Done', fields, 'total_iterations')
    const executionTimeMs = numberOf('Done', fields, 'execution_time_ms')
    if (totalIterations !== undefined) metadata.totalIterations = totalIterations
    if (executionTimeMs !== undefined) metadata.executionTimeMs = executionTimeMs
    if (Object.keys(metadata).length > 0) end.metadata = metadata
    const content = stringOf('Done', fields, ['content'])
    // Done.content is the final answer; the streamed text usually ends with it already (earlier
    // iterations' words come first), and replacing would pull those words out from between the
    // tool cards. Only a different answer replaces the text.
    if (content !== undefined && content !== '' && !streamedText.endsWith(content)) end.content = content
    return { kind: 'end', fields: end }
  }

  /** Apply one event into `events`; what it returns ends the message once those are queued. */
  function apply(events: ChatEvent[], { variant, fields }: TaggedEvent): Ending | undefined {
    switch (variant) {
      case 'TextDelta':
        appendBlock(events, 'text', stringOf(variant, fields, ['delta', 'text', 'content']))
        return undefined
      case 'Thinking':
        appendBlock(events, 'reasoning', stringOf(variant, fields, ['content', 'text', 'delta']))
        return undefined
      case 'ToolCallStart':
        toolCallStart(events, fields)
        return undefined
      case 'ToolCallComplete':
        toolCallComplete(events, fields)
        return undefined
      case 'IterationStart': {
        const id = stepId(variant, fields, true)
        const max = numberOf(variant, fields, 'max_iterations')
        closeBlock(events)
        events.push({ type: 'step-start', messageId, stepId: id })
        if (max !== undefined && max !== maxIterations) {
          maxIterations = max
          events.push({ type: 'metadata', messageId, metadata: { maxIterations: max } })
        }
        return undefined
      }
      case 'IterationComplete': {
        const end: ChatEvent = { type: 'step-end', messageId, stepId: stepId(variant, fields, false) }
        const stopReason = stringOf(variant, fields, ['stop_reason', 'finish_reason'])
        closeBlock(events)
        if (stopReason !== undefined) end.finishReason = finishReasonFromBackend(stopReason)
        const usage = usageFromBackend(field(fields, 'usage'))
        if (usage !== undefined) end.usage = usage
        events.push(end)
        return undefined
      }
      case 'Done':
        return done(events, fields)
      case 'Error': {
        closeBlock(events)
        const error = errorFromBackend(fields, 'The agent reported an error without a message.') ?? {
          message: 'The agent reported an error without a message.',
        }
        return isCancellationMessage(error.message) ? { kind: 'abort' } : { kind: 'fail', error }
      }
      default: {
        const unknownVariant: never = variant
        throw new Error(`agent-events: unhandled variant ${String(unknownVariant)}`)
      }
    }
  }

  return createJsonFrameDecoder(message, 'agent-events', {
    literal: (frame) => frame.data.trim() === '[DONE]',
    value(value, frame) {
      const tagged = readTaggedEvent(value, frame?.event)
      if (tagged === undefined) return
      message.start()
      // A bad field fails the whole event: nothing of it is applied, what came before is kept.
      const applied: ChatEvent[] = []
      let ending: Ending | undefined
      try {
        ending = apply(applied, tagged)
      } catch (cause) {
        if (
          !(cause instanceof WireTypeError || cause instanceof WireValueError || cause instanceof RangeError)
        )
          throw cause
        const what =
          cause instanceof WireTypeError ? cause.message : `${tagged.variant} is nested too deeply to read`
        blocks.close(message)
        message.fail({
          code: 'invalid-event',
          message: `The agent-events stream for message "${messageId}" sent an event Sluice cannot read: ${what}. The content so far is kept. Check that the backend serializes aof-runtime's StreamEvent unchanged.`,
        })
        return
      }
      message.push(...applied)
      if (ending?.kind === 'end') message.end(ending.fields)
      else if (ending?.kind === 'fail') message.fail(ending.error)
      else if (ending?.kind === 'abort') message.abort()
    },
    endOfSource(cutOff) {
      message.endOfSource(
        `The agent-events stream for message "${messageId}" ended without a Done or Error event${cutOff ? ' (its last frame was cut off)' : ''}. The content so far is kept; unfinished tool calls are cancelled. Retry to run the agent again.`,
      )
    },
  })
}

/**
 * The `agent-events` protocol (default framing `sse`; `ndjson` and `frames` carry the same
 * values). See {@link createAgentEventsDecoder} for the wire format.
 *
 * @example
 * ```ts
 * import { collectMessage } from '@sluice/core'
 * const message = await collectMessage(response.body!, 'agent-events')
 * ```
 */
export const agentEventsProtocol: Protocol = {
  id: 'agent-events',
  framing: 'sse',
  createDecoder: createAgentEventsDecoder,
  decodeError: (body: unknown, status: number) =>
    errorFromBackendResponse(body, status, ['error', 'Error', 'detail']),
}
