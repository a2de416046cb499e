/**
 * The message model: what the reducer builds and the components render.
 *
 * @example
 * ```ts
 * import type { Message } from '@sluice/core'
 * const text = (message: Message) =>
 *   message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('')
 * ```
 * @module
 */

/** Who wrote a message. */
export type MessageRole = 'user' | 'assistant' | 'system' | 'tool'

/**
 * Where a message is in its life.
 *
 * `pending` (placeholder, nothing yet) → `streaming` → `complete`, or `cancelled` (the user
 * stopped it), `error` (provider or protocol error), `interrupted` (the connection was lost
 * mid-stream; the partial content is kept and the message can be retried or resumed).
 */
export type MessageStatus = 'pending' | 'streaming' | 'complete' | 'cancelled' | 'error' | 'interrupted'

/** The statuses after which no streamed content is applied to a message any more. */
export const terminalMessageStatuses: ReadonlySet<MessageStatus> = new Set<MessageStatus>([
  'complete',
  'cancelled',
  'error',
  'interrupted',
])

/**
 * Where a tool call is in its life: `input-streaming` → `input-available` → `running` →
 * `output-available` | `output-error`; `cancelled` when the stream stops first.
 */
export type ToolCallState =
  | 'input-streaming'
  | 'input-available'
  | 'running'
  | 'output-available'
  | 'output-error'
  | 'cancelled'

/** A provider's finish reason, normalized. The provider's own word is kept in `rawFinishReason`. */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other'

/** Token counts. Every field is optional because providers report different subsets. */
export interface Usage {
  inputTokens?: number
  outputTokens?: number
  reasoningTokens?: number
  cachedInputTokens?: number
  totalTokens?: number
}

/** What went wrong, in words a user can act on, with the provider's code and HTTP status. */
export interface MessageError {
  message: string
  code?: string
  status?: number
}

/** Timing of one assistant message, measured by the controller (milliseconds). */
export interface MessageMetrics {
  /** When the request was sent (epoch ms). */
  requestStartedAt?: number
  /** Request sent → first byte of the response. */
  timeToFirstByte?: number
  /** Request sent → first text, reasoning or tool-input content. */
  timeToFirstToken?: number
  /** Network chunks read. */
  chunks?: number
  /** Streamed content deltas applied (a proxy for tokens when the provider reports no usage). */
  deltas?: number
  /** Output tokens (usage when known, otherwise deltas) per second of streaming. */
  tokensPerSecond?: number
  /** Request sent → terminal event. */
  totalTime?: number
}

/** Streamed text. `id` names the text block on the wire so deltas find it. */
export interface TextPart {
  type: 'text'
  id: string
  text: string
  state?: 'streaming' | 'done'
  /** True when the text is a refusal (OpenAI `delta.refusal`). */
  refusal?: boolean
}

/** The model's reasoning ("thinking"), streamed like text. */
export interface ReasoningPart {
  type: 'reasoning'
  id: string
  text: string
  state?: 'streaming' | 'done'
  /** Provider signature (Anthropic `signature_delta`, Gemini `thoughtSignature`), kept for round-trips. */
  signature?: string
  /** When the first reasoning delta arrived (event time, epoch ms), for "Thought for N s". */
  startedAt?: number
  /** When reasoning ended (event time, epoch ms). */
  endedAt?: number
}

/** A tool call: its input as it streams, then its result. */
export interface ToolCallPart {
  type: 'tool-call'
  toolCallId: string
  toolName: string
  state: ToolCallState
  /** The raw input text as streamed so far (JSON for every provider Sluice speaks). */
  inputText: string
  /** The parsed input, once the input is complete. */
  input?: unknown
  output?: unknown
  errorText?: string
  /** True when the provider ran the tool itself (Anthropic server tools, OpenAI built-ins). */
  providerExecuted?: boolean
  /** When the tool started running (event time, epoch ms), for the elapsed-time display. */
  startedAt?: number
  endedAt?: number
}

/** A cited source. */
export interface SourcePart {
  type: 'source'
  url: string
  title?: string
  sourceId?: string
}

/**
 * A file: one the model produced or referenced, or one the user attached to a message
 * (`chat.send(text, { files })`). `url` is an http(s) URL (an upload), a `data:` URL (inline
 * content) or, in the browser only, a `blob:` URL.
 */
export interface FilePart {
  type: 'file'
  url: string
  mediaType: string
  /** The file name (`report.pdf`). */
  name?: string
  /** The size in bytes, when known (attachments always know it). */
  size?: number
}

/** Custom data sent by the backend, named by the backend. */
export interface DataPart {
  type: 'data'
  name: string
  data: unknown
  /** With an id, a later data event with the same id replaces this part. */
  id?: string
}

/** The start of an agent step or iteration; rendered as a separator. */
export interface StepStartPart {
  type: 'step-start'
  stepId?: string
}

/** One piece of a message, in the order it arrived. */
export type MessagePart =
  | TextPart
  | ReasoningPart
  | ToolCallPart
  | SourcePart
  | FilePart
  | DataPart
  | StepStartPart

/** One message of a conversation. */
export interface Message {
  id: string
  role: MessageRole
  status: MessageStatus
  parts: MessagePart[]
  /** Normalized: `stop`, `length`, `tool-calls`, `content-filter`, `error` or `other`. */
  finishReason?: FinishReason
  /** The provider's own finish reason, as sent. */
  rawFinishReason?: string
  usage?: Usage
  error?: MessageError
  metrics?: MessageMetrics
  /** Provider or backend metadata (model name, response id, …). */
  metadata?: Record<string, unknown>
  /** Creation time (epoch ms) when known. */
  createdAt?: number
  /** The highest sequence number applied; a redelivered event at or below it is ignored. */
  sequence?: number
  /** The user's rating of an answer (`chat.setFeedback`); saved with the message. */
  feedback?: MessageFeedback
  /**
   * Saved form only (`snapshotMessages`): the message before it on its branch, `null` for a
   * first message. Absent: the message before it in the saved list.
   */
  parentId?: string | null
  /** Saved form only: `true` on a version that is not the shown one among its siblings. */
  inactiveBranch?: boolean
}

/** A rating of an answer: thumbs up (`positive`) or down (`negative`). */
export type MessageFeedback = 'positive' | 'negative'

/**
 * The text of a message: every text part joined.
 *
 * @example
 * ```ts
 * messageText({ id: 'a', role: 'assistant', status: 'complete', parts: [{ type: 'text', id: 't', text: 'Hi' }] }) // 'Hi'
 * ```
 */
export function messageText(message: Message): string {
  let text = ''
  for (const part of message.parts) if (part.type === 'text') text += part.text
  return text
}

/**
 * The reasoning of a message: every reasoning part joined.
 *
 * @example
 * ```ts
 * messageReasoning(message) // 'Let me think…'
 * ```
 */
export function messageReasoning(message: Message): string {
  let text = ''
  for (const part of message.parts) if (part.type === 'reasoning') text += part.text
  return text
}

/**
 * The tool calls of a message, in order.
 *
 * @example
 * ```ts
 * messageToolCalls(message).map((call) => call.toolName) // ['get_weather']
 * ```
 */
export function messageToolCalls(message: Message): ToolCallPart[] {
  return message.parts.filter((part): part is ToolCallPart => part.type === 'tool-call')
}
