/**
 * The `agent-events` protocol: a Rust agent backend streaming a serde-serialized `StreamEvent` enum.
 *
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { DecoderOptions, Frame, Protocol, ProtocolDecoder } from '../../protocol.ts'
import { isRecord, numberField, parseJsonFrame, stringField } from '../json-frame.ts'
import { createTextBlocks } from '../shared/create-text-blocks.ts'
import { streamInterrupted } from '../shared/stream-interrupted.ts'
import { errorFromBackend, errorFromBackendResponse } from './backend-error.ts'
import { finishReasonFromBackend } from './backend-finish-reason.ts'
import { usageFromBackend } from './backend-usage.ts'

/** The message id used when the caller gives none (the wire carries no message id). */
export const agentEventsDefaultMessageId = 'agent-events-response'

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
  if (snakeName in fields) return fields[snakeName]
  return fields[snakeName.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase())]
}

/**
 * A decoder for one `agent-events` response.
 *
 * ## Wire format
 *
 * Every frame (an SSE `data:` payload by default, or an NDJSON line, or a WebSocket message)
 * is one serde-serialized value of this Rust enum:
 *
 * ```rust
 * enum StreamEvent {
 *     TextDelta { text: String },                      // `content` accepted instead of `text`
 *     ToolCallStart { id: String, name: String },
 *     ToolCallComplete { id: String, name: Option<String>, arguments: Value,  // object, or a JSON string
 *                        result: Option<Value>, error: Option<String> },
 *     Thinking { text: String },                       // `content` accepted instead of `text`
 *     IterationStart { iteration: u32 },
 *     IterationComplete { iteration: u32, usage: Option<Usage>, .. },
 *     Done { content: Option<String>, usage: Option<Usage>, finish_reason: Option<String> },
 *     Error { message: String, code: Option<String> }, // a numeric code becomes its decimal string
 * }
 * ```
 *
 * ### Taggings (all accepted, in any mix)
 *
 * - internally tagged, `#[serde(tag = "type")]`: `{"type": "TextDelta", "text": "Hi"}`;
 * - externally tagged (serde's default): `{"TextDelta": {"text": "Hi"}}`, a unit variant as a
 *   bare string `"Done"`, a newtype variant as `{"TextDelta": "Hi"}`;
 * - adjacently tagged, `#[serde(tag = "type", content = "data")]`: `{"type": "TextDelta", "data": {"text": "Hi"}}`;
 * - the fields alone with the variant in the SSE `event:` line (`event: TextDelta`).
 *
 * Variant names are matched ignoring case, `_` and `-`, so every `rename_all` works:
 * `TextDelta`, `text_delta` (`snake_case`), `textDelta`, `TEXT_DELTA`, `text-delta`. Field names
 * are read in `snake_case` or `camelCase` (`finish_reason` / `finishReason`). Usage objects may
 * use `input_tokens`/`output_tokens`, OpenAI's `prompt_tokens`/`completion_tokens` or camelCase.
 *
 * ### Meaning
 *
 * | variant | events |
 * |---|---|
 * | `TextDelta` | text appended (a new text block after a tool call, thinking or an iteration boundary) |
 * | `Thinking` | reasoning appended |
 * | `ToolCallStart` | `tool-call-start` |
 * | `ToolCallComplete` | `tool-call-end` with the arguments (an object becomes `input`; a string is the input text, parsed by the reducer), then `tool-result` with `result` (or `output`) when it is present and not null, or `tool-error` when `error` is present. A call never started is started here. A second `ToolCallComplete` for the same id only delivers its result or error (encoders send the result that way when it comes later) |
 * | `IterationStart` | `step-start`, step id `iteration-<n>` |
 * | `IterationComplete` | `step-end`, step id `iteration-<n>`, with its usage |
 * | `Done` | `message-end`: finish reason normalized (`stop` when absent), usage; when `content` is given the message text becomes exactly it (final replacement) |
 * | `Error` | `message-error` with `message` and `code` |
 *
 * Unknown variants and unknown fields are ignored. Anything after `Done` or `Error` is
 * ignored. Malformed JSON → `message-error`. If the stream ends without `Done` or `Error`,
 * `end()` returns a `message-interrupt`. The wire carries no message id: events use
 * `options.messageId` (default `agent-events-response`); text blocks are `text-0`, `text-1`, …,
 * reasoning blocks `reasoning-0`, ….
 *
 * @example
 * ```ts
 * const decoder = agentEventsProtocol.createDecoder({ messageId: 'm1' })
 * decoder.decode({ data: '{"type":"TextDelta","text":"Hi"}' }) // message-start, text-start, text-delta 'Hi'
 * decoder.decode({ data: '{"TextDelta":{"text":" there"}}' }) // text-delta ' there'
 * decoder.decode({ data: '"Done"' }) // text-end, message-end { finishReason: 'stop' }
 * ```
 */
export function createAgentEventsDecoder(options: DecoderOptions = {}): ProtocolDecoder {
  const messageId = options.messageId ?? agentEventsDefaultMessageId
  let started = false
  let finished = false
  const blocks = createTextBlocks(messageId)
  /** Tool calls seen, by id: whether their input has ended. */
  const toolCalls = new Map<string, { ended: boolean }>()
  let unnamedCalls = 0
  let iterations = 0

  const closeBlock = blocks.close

  function appendBlock(events: ChatEvent[], type: 'text' | 'reasoning', delta: string): void {
    if (delta === '') return
    blocks.append(events, type, delta)
  }

  function textOf(fields: Record<string, unknown>): string {
    return stringField(fields.text) ?? stringField(fields.content) ?? stringField(fields.delta) ?? ''
  }

  function stepId(fields: Record<string, unknown>, starting: boolean): string {
    const iteration = numberField(fields.iteration) ?? stringField(fields.iteration)
    if (iteration !== undefined) return `iteration-${iteration}`
    // No number on the wire: count iterations ourselves.
    if (starting) iterations += 1
    return `iteration-${iterations}`
  }

  function toolCallComplete(events: ChatEvent[], fields: Record<string, unknown>): void {
    const toolCallId =
      stringField(fields.id) ??
      stringField(field(fields, 'tool_call_id')) ??
      `${messageId}-call-${unnamedCalls++}`
    const toolName = stringField(fields.name) ?? stringField(field(fields, 'tool_name'))
    let call = toolCalls.get(toolCallId)
    if (call === undefined) {
      closeBlock(events)
      call = { ended: false }
      toolCalls.set(toolCallId, call)
      events.push({ type: 'tool-call-start', messageId, toolCallId, toolName: toolName ?? '' })
    }
    if (!call.ended) {
      call.ended = true
      const end: ChatEvent = { type: 'tool-call-end', messageId, toolCallId }
      if (toolName !== undefined) end.toolName = toolName
      const input = fields.arguments ?? fields.input
      if (typeof input === 'string') end.inputText = input
      else if (input !== undefined && input !== null) {
        end.input = input
        end.inputText = JSON.stringify(input)
      }
      events.push(end)
    }
    const error = errorFromBackend(fields.error, `Tool call "${toolCallId}" failed.`)
    if (error !== undefined) {
      events.push({ type: 'tool-error', messageId, toolCallId, errorText: error.message })
      return
    }
    const output = fields.result ?? fields.output
    if (output !== undefined && output !== null) {
      const result: ChatEvent = { type: 'tool-result', messageId, toolCallId, output }
      if (toolName !== undefined) result.toolName = toolName
      events.push(result)
    }
  }

  function apply(events: ChatEvent[], { variant, fields }: TaggedEvent): void {
    switch (variant) {
      case 'TextDelta':
        appendBlock(events, 'text', textOf(fields))
        return
      case 'Thinking':
        appendBlock(events, 'reasoning', textOf(fields))
        return
      case 'ToolCallStart': {
        const toolCallId = stringField(fields.id) ?? stringField(field(fields, 'tool_call_id'))
        if (toolCallId === undefined || toolCalls.has(toolCallId)) return
        closeBlock(events)
        toolCalls.set(toolCallId, { ended: false })
        const toolName = stringField(fields.name) ?? stringField(field(fields, 'tool_name')) ?? ''
        events.push({ type: 'tool-call-start', messageId, toolCallId, toolName })
        return
      }
      case 'ToolCallComplete':
        toolCallComplete(events, fields)
        return
      case 'IterationStart':
        closeBlock(events)
        events.push({ type: 'step-start', messageId, stepId: stepId(fields, true) })
        return
      case 'IterationComplete': {
        closeBlock(events)
        const end: ChatEvent = { type: 'step-end', messageId, stepId: stepId(fields, false) }
        const usage = usageFromBackend(fields.usage)
        if (usage !== undefined) end.usage = usage
        events.push(end)
        return
      }
      case 'Done': {
        finished = true
        closeBlock(events)
        const rawFinishReason = stringField(field(fields, 'finish_reason'))
        const end: ChatEvent = {
          type: 'message-end',
          messageId,
          finishReason: rawFinishReason === undefined ? 'stop' : finishReasonFromBackend(rawFinishReason),
        }
        if (rawFinishReason !== undefined && rawFinishReason !== end.finishReason)
          end.rawFinishReason = rawFinishReason
        const usage = usageFromBackend(fields.usage)
        if (usage !== undefined) end.usage = usage
        const content = stringField(fields.content)
        if (content !== undefined) end.content = content
        events.push(end)
        return
      }
      case 'Error': {
        finished = true
        closeBlock(events)
        const error = errorFromBackend(fields, 'The agent reported an error without a message.') ?? {
          message: 'The agent reported an error without a message.',
        }
        events.push({ type: 'message-error', messageId, error })
        return
      }
      default: {
        const unknownVariant: never = variant
        throw new Error(`agent-events: unhandled variant ${String(unknownVariant)}`)
      }
    }
  }

  return {
    decode(frame: Frame): ChatEvent[] {
      if (finished) return []
      const data = frame.data.trim()
      if (data === '' || data === '[DONE]') return []
      const events: ChatEvent[] = []
      const parsed = parseJsonFrame(data, 'agent-events')
      if (!parsed.ok) {
        finished = true
        if (!started) events.push({ type: 'message-start', messageId, role: 'assistant' })
        started = true
        events.push({ type: 'message-error', messageId, error: parsed.error })
        return events
      }
      const tagged = readTaggedEvent(parsed.value, frame.event)
      if (tagged === undefined) return events
      if (!started) {
        started = true
        events.push({ type: 'message-start', messageId, role: 'assistant' })
      }
      apply(events, tagged)
      return events
    },
    end(): ChatEvent[] {
      if (finished) return []
      finished = true
      const events: ChatEvent[] = []
      if (!started) events.push({ type: 'message-start', messageId, role: 'assistant' })
      events.push(
        streamInterrupted(
          messageId,
          `The agent-events stream for message "${messageId}" ended without a Done or Error event. The content so far is kept; unfinished tool calls are cancelled. Retry to run the agent again.`,
        ),
      )
      return events
    },
  }
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
