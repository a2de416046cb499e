/**
 * The one event model every wire format decodes into and every mock encodes from.
 *
 * Verbs are start / delta / end; every streamed entity has an id and every delta names it.
 * Events carry everything the reducer needs (ids, event time, sequence numbers), so a
 * recorded event list replays to the same state every time.
 *
 * @example
 * ```ts
 * import { reduceChat, initialChatState, type ChatEvent } from '@sluice/core'
 * const events: ChatEvent[] = [
 *   { type: 'message-start', messageId: 'm1', role: 'assistant' },
 *   { type: 'text-start', messageId: 'm1', id: 't1' },
 *   { type: 'text-delta', messageId: 'm1', id: 't1', delta: 'Hello' },
 *   { type: 'text-end', messageId: 'm1', id: 't1' },
 *   { type: 'message-end', messageId: 'm1', finishReason: 'stop' },
 * ]
 * const state = reduceChat(initialChatState, events)
 * ```
 * @module
 */
import type { FinishReason, MessageError, MessagePart, MessageRole, Usage } from './message.ts'

/** Fields every event has. */
export interface ChatEventBase {
  /** The message the event belongs to. */
  messageId: string
  /**
   * A sequence number from the wire (OpenAI Responses `sequence_number`, an SSE id, a
   * WebSocket frame number). When present, an event at or below the message's last applied
   * sequence number is ignored, so redelivery and resume never duplicate content.
   */
  sequence?: number
  /** When the event was received (epoch ms), stamped by the controller, never by the reducer. */
  at?: number
}

/** Creates the message (the placeholder), or reopens a stopped one for resume. */
export interface MessageStartEvent extends ChatEventBase {
  type: 'message-start'
  /** Defaults to `assistant`. */
  role?: MessageRole
  metadata?: Record<string, unknown>
  /**
   * True when the server sent this message whole, on its own (seed 004 `message_new` with
   * `metadata.streaming: false`: another agent's message in the channel, or the echo of the
   * user's own message): it answers no request, so a transport never takes it for the answer
   * it waits for, and applies it as a pushed message.
   */
  pushed?: boolean
}

/**
 * The message finished. May carry the authoritative final content, which replaces what was
 * streamed: `content` replaces the text, `parts` replaces every part.
 */
export interface MessageEndEvent extends ChatEventBase {
  type: 'message-end'
  finishReason?: FinishReason
  /** The provider's own finish reason word. */
  rawFinishReason?: string
  usage?: Usage
  /** The final text: the message's text becomes exactly this. */
  content?: string
  /** The final parts: the message's parts become exactly these. */
  parts?: MessagePart[]
  metadata?: Record<string, unknown>
}

/** The provider or the protocol reported an error. The partial content is kept; status `error`. */
export interface MessageErrorEvent extends ChatEventBase {
  type: 'message-error'
  error: MessageError
}

/** The user stopped the message. The partial content is kept; status `cancelled`. */
export interface MessageAbortEvent extends ChatEventBase {
  type: 'message-abort'
}

/**
 * The stream ended before its terminal event (connection lost, truncated body). The partial
 * content is kept; status `interrupted`, which can be retried or resumed.
 */
export interface MessageInterruptEvent extends ChatEventBase {
  type: 'message-interrupt'
  error?: MessageError
}

/** A text block starts. */
export interface TextStartEvent extends ChatEventBase {
  type: 'text-start'
  id: string
  /** True when this text is a refusal (OpenAI `delta.refusal`). */
  refusal?: boolean
}

/** More text for block `id`. */
export interface TextDeltaEvent extends ChatEventBase {
  type: 'text-delta'
  id: string
  delta: string
}

/** Text block `id` is complete. `text`, when given, is its authoritative content. */
export interface TextEndEvent extends ChatEventBase {
  type: 'text-end'
  id: string
  text?: string
}

/** A reasoning block starts. */
export interface ReasoningStartEvent extends ChatEventBase {
  type: 'reasoning-start'
  id: string
}

/** More reasoning for block `id`. */
export interface ReasoningDeltaEvent extends ChatEventBase {
  type: 'reasoning-delta'
  id: string
  delta: string
}

/** Reasoning block `id` is complete. */
export interface ReasoningEndEvent extends ChatEventBase {
  type: 'reasoning-end'
  id: string
  /** Provider signature for the block, kept for round-trips. */
  signature?: string
  /** Authoritative full reasoning text, when the wire sends it. */
  text?: string
}

/** A tool call starts; its input follows as deltas. */
export interface ToolCallStartEvent extends ChatEventBase {
  type: 'tool-call-start'
  toolCallId: string
  toolName: string
  providerExecuted?: boolean
}

/** More input text (JSON fragments) for tool call `toolCallId`. */
export interface ToolCallDeltaEvent extends ChatEventBase {
  type: 'tool-call-delta'
  toolCallId: string
  delta: string
}

/**
 * The tool call's input is complete. `input` is the parsed input when the wire gives it
 * parsed (otherwise the reducer parses the accumulated `inputText` once, here). `inputText`,
 * when given, replaces the streamed text (wires that send the whole input at once).
 */
export interface ToolCallEndEvent extends ChatEventBase {
  type: 'tool-call-end'
  toolCallId: string
  /** Needed when the call had no start event (wires that send whole calls). */
  toolName?: string
  input?: unknown
  inputText?: string
  providerExecuted?: boolean
}

/** The tool is running. */
export interface ToolRunningEvent extends ChatEventBase {
  type: 'tool-running'
  toolCallId: string
}

/** The tool returned. */
export interface ToolResultEvent extends ChatEventBase {
  type: 'tool-result'
  toolCallId: string
  output: unknown
  /** Needed when the result names a call this message never started (provider-run tools). */
  toolName?: string
}

/** The tool failed. */
export interface ToolErrorEvent extends ChatEventBase {
  type: 'tool-error'
  toolCallId: string
  errorText: string
}

/** An agent step or iteration starts. */
export interface StepStartEvent extends ChatEventBase {
  type: 'step-start'
  stepId?: string
}

/** An agent step or iteration ends. */
export interface StepEndEvent extends ChatEventBase {
  type: 'step-end'
  stepId?: string
  finishReason?: FinishReason
  usage?: Usage
}

/** A cited source. */
export interface SourceEvent extends ChatEventBase {
  type: 'source'
  url: string
  title?: string
  sourceId?: string
}

/** A file. */
export interface FileEvent extends ChatEventBase {
  type: 'file'
  url: string
  mediaType: string
  name?: string
}

/** Custom data. With an `id`, it replaces an earlier data part with the same id. */
export interface DataEvent extends ChatEventBase {
  type: 'data'
  name: string
  data: unknown
  id?: string
}

/** Token usage so far; merged into the message's usage. */
export interface UsageEvent extends ChatEventBase {
  type: 'usage'
  usage: Usage
}

/** Metadata (model, response id, …); merged into the message's metadata. */
export interface MetadataEvent extends ChatEventBase {
  type: 'metadata'
  metadata: Record<string, unknown>
}

/** Every event Sluice knows. Discriminated on `type`. */
export type ChatEvent =
  | MessageStartEvent
  | MessageEndEvent
  | MessageErrorEvent
  | MessageAbortEvent
  | MessageInterruptEvent
  | TextStartEvent
  | TextDeltaEvent
  | TextEndEvent
  | ReasoningStartEvent
  | ReasoningDeltaEvent
  | ReasoningEndEvent
  | ToolCallStartEvent
  | ToolCallDeltaEvent
  | ToolCallEndEvent
  | ToolRunningEvent
  | ToolResultEvent
  | ToolErrorEvent
  | StepStartEvent
  | StepEndEvent
  | SourceEvent
  | FileEvent
  | DataEvent
  | UsageEvent
  | MetadataEvent

/** The `type` of every event. */
export type ChatEventType = ChatEvent['type']

/** The events that end a message's stream (they flush at once, never wait for a frame). */
export const terminalEventTypes: ReadonlySet<ChatEventType> = new Set<ChatEventType>([
  'message-end',
  'message-error',
  'message-abort',
  'message-interrupt',
])

/**
 * Whether an event ends its message's stream.
 *
 * @example
 * ```ts
 * isTerminalEvent({ type: 'message-end', messageId: 'm1' }) // true
 * ```
 */
export function isTerminalEvent(event: ChatEvent): boolean {
  return terminalEventTypes.has(event.type)
}
