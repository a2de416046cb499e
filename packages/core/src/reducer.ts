/**
 * The pure reducer: `(state, events) → state`.
 *
 * Immutable and structurally shared: a token changes one message object (and one part of
 * it) and nothing else, so anything that selected another message keeps its reference and
 * never re-renders. No clocks and no random ids in here: times come from `event.at`, ids from
 * the events, so a recorded event list replays to the same state every time.
 *
 * @example
 * ```ts
 * import { initialChatState, reduceChat } from '@sluice/core'
 * const state = reduceChat(initialChatState, [
 *   { type: 'message-start', messageId: 'm1' },
 *   { type: 'text-delta', messageId: 'm1', id: 't1', delta: 'Hi' },
 *   { type: 'message-end', messageId: 'm1', finishReason: 'stop' },
 * ])
 * state.messages.m1?.status // 'complete'
 * ```
 * @module
 */
import type { ChatEvent } from './events.ts'
import {
  type Message,
  type MessageError,
  type MessagePart,
  type MessageStatus,
  type ReasoningPart,
  type TextPart,
  type ToolCallPart,
  type ToolCallState,
  terminalMessageStatuses,
  type Usage,
} from './message.ts'
import { copyRecord, createRecord, ownValue } from './safety/records.ts'

/**
 * The normalized conversation: ids in order, messages by id.
 *
 * `messages` has no prototype (message ids come from the wire, and `constructor` or
 * `__proto__` is as good an id as any): read it by id, or with `Object.hasOwn`.
 */
export interface ChatState {
  readonly messageIds: readonly string[]
  readonly messages: Readonly<Record<string, Message>>
}

/** A conversation with no messages. */
export const initialChatState: ChatState = Object.freeze({
  messageIds: Object.freeze([]),
  messages: Object.freeze(createRecord<Message>()),
})

/**
 * Fold events into the state. Returns `state` itself when no event changed anything.
 *
 * The messages record is copied at most once per call (per batch, not per event), and each
 * changed message is rebuilt from its previous version, so a batch of deltas costs O(deltas).
 *
 * @example
 * ```ts
 * const next = reduceChat(state, [{ type: 'text-delta', messageId: 'm1', id: 't1', delta: 'lo' }])
 * next.messages.m2 === state.messages.m2 // true: untouched messages keep their identity
 * ```
 */
export function reduceChat(state: ChatState, events: readonly ChatEvent[]): ChatState {
  let messageIds = state.messageIds
  let messages = state.messages
  let messagesCopied = false
  let idsCopied = false
  for (const event of events) {
    // An own-property read: an id named after an Object.prototype member is an unknown id.
    const current = ownValue(messages, event.messageId)
    const next = reduceMessage(current, event)
    if (next === current || next === undefined) continue
    if (!messagesCopied) {
      // Prototype-free, so assigning `messages['__proto__']` stores a message like any other id.
      messages = copyRecord(messages)
      messagesCopied = true
    }
    ;(messages as Record<string, Message>)[event.messageId] = next
    if (current === undefined) {
      if (!idsCopied) {
        messageIds = [...messageIds]
        idsCopied = true
      }
      ;(messageIds as string[]).push(event.messageId)
    }
  }
  if (!messagesCopied) return state
  return { messageIds, messages }
}

/** Events that may still change a message after it completed (a tool run by the client, metadata). */
const afterCompleteEventTypes = new Set<ChatEvent['type']>([
  'tool-running',
  'tool-result',
  'tool-error',
  'metadata',
  'usage',
  'data',
])

/** Events that are content: the first one turns a `pending` message into `streaming`. */
const contentEventTypes = new Set<ChatEvent['type']>([
  'text-start',
  'text-delta',
  'reasoning-start',
  'reasoning-delta',
  'tool-call-start',
  'tool-call-delta',
  'tool-call-end',
  'tool-running',
  'tool-result',
  'tool-error',
  'step-start',
  'source',
  'file',
  'data',
])

/**
 * Apply one event to one message. Returns `message` itself when the event changes nothing,
 * and `undefined` only when there is no message and the event cannot create one.
 *
 * A content event for a message that was never started creates it (an assistant message),
 * so nothing a server sends is lost; a content event for a message in a terminal status is
 * ignored, so nothing that arrives after `stop()` is applied.
 *
 * @example
 * ```ts
 * const message = reduceMessage(undefined, { type: 'message-start', messageId: 'm1' })
 * ```
 */
export function reduceMessage(message: Message | undefined, event: ChatEvent): Message | undefined {
  if (message !== undefined && event.sequence !== undefined && message.sequence !== undefined) {
    // Redelivery (WebSocket reconnect, SSE resume): an already applied sequence number is a no-op.
    if (event.sequence <= message.sequence) return message
  }
  if (message === undefined) {
    if (event.type === 'message-abort' || event.type === 'step-end') return undefined
    message = newMessage(event)
    if (event.type === 'message-start') return withSequence(message, event.sequence)
  } else if (terminalMessageStatuses.has(message.status)) {
    if (event.type === 'message-start') return reopen(message, event)
    const allowed = message.status === 'complete' && afterCompleteEventTypes.has(event.type)
    if (!allowed) return message
  }
  let next = applyEvent(message, event)
  if (next === message) return message
  if (next.status === 'pending' && contentEventTypes.has(event.type)) next = { ...next, status: 'streaming' }
  return withSequence(next, event.sequence)
}

function withSequence(message: Message, sequence: number | undefined): Message {
  if (sequence === undefined || (message.sequence !== undefined && message.sequence >= sequence))
    return message
  return { ...message, sequence }
}

function newMessage(event: ChatEvent): Message {
  const message: Message = {
    id: event.messageId,
    role: event.type === 'message-start' ? (event.role ?? 'assistant') : 'assistant',
    status: 'pending',
    parts: [],
  }
  if (event.at !== undefined) message.createdAt = event.at
  if (event.type === 'message-start' && event.metadata !== undefined) message.metadata = { ...event.metadata }
  return message
}

/** A stopped message starts again (resume after `interrupted`): content is kept, the error is not. */
function reopen(message: Message, event: ChatEvent & { type: 'message-start' }): Message {
  const { error: _error, finishReason: _finishReason, rawFinishReason: _raw, ...rest } = message
  const next: Message = { ...rest, status: message.parts.length === 0 ? 'pending' : 'streaming' }
  if (event.metadata !== undefined) next.metadata = { ...message.metadata, ...event.metadata }
  return next
}

function applyEvent(message: Message, event: ChatEvent): Message {
  switch (event.type) {
    case 'message-start': {
      if (event.metadata === undefined) return message
      return { ...message, metadata: { ...message.metadata, ...event.metadata } }
    }
    case 'message-end':
      return endMessage(message, event)
    case 'message-error':
      return stopMessage(message, 'error', event.error)
    case 'message-abort':
      return stopMessage(message, 'cancelled', undefined)
    case 'message-interrupt':
      return stopMessage(message, 'interrupted', event.error)
    case 'text-start': {
      const index = findPart(message.parts, 'text', event.id)
      if (index !== -1) return message
      const part: TextPart = { type: 'text', id: event.id, text: '', state: 'streaming' }
      if (event.refusal) part.refusal = true
      return withPart(message, -1, part)
    }
    case 'text-delta': {
      const index = findPart(message.parts, 'text', event.id)
      if (index === -1)
        return withPart(message, -1, { type: 'text', id: event.id, text: event.delta, state: 'streaming' })
      if (event.delta === '') return message
      const part = message.parts[index] as TextPart
      // A resumed stream continues a block that was closed when the connection dropped.
      return withPart(message, index, {
        ...part,
        text: appendText(part.text, event.delta),
        state: 'streaming',
      })
    }
    case 'text-end': {
      const index = findPart(message.parts, 'text', event.id)
      if (index === -1) {
        if (event.text === undefined) return message
        return withPart(message, -1, { type: 'text', id: event.id, text: event.text, state: 'done' })
      }
      const part = message.parts[index] as TextPart
      if (part.state === 'done' && (event.text === undefined || event.text === part.text)) return message
      return withPart(message, index, { ...part, text: event.text ?? part.text, state: 'done' })
    }
    case 'reasoning-start': {
      if (findPart(message.parts, 'reasoning', event.id) !== -1) return message
      const part: ReasoningPart = { type: 'reasoning', id: event.id, text: '', state: 'streaming' }
      if (event.at !== undefined) part.startedAt = event.at
      return withPart(message, -1, part)
    }
    case 'reasoning-delta': {
      const index = findPart(message.parts, 'reasoning', event.id)
      if (index === -1) {
        const part: ReasoningPart = { type: 'reasoning', id: event.id, text: event.delta, state: 'streaming' }
        if (event.at !== undefined) part.startedAt = event.at
        return withPart(message, -1, part)
      }
      if (event.delta === '') return message
      const part = message.parts[index] as ReasoningPart
      return withPart(message, index, {
        ...part,
        text: appendText(part.text, event.delta),
        state: 'streaming',
      })
    }
    case 'reasoning-end': {
      const index = findPart(message.parts, 'reasoning', event.id)
      const previous: ReasoningPart =
        index === -1
          ? { type: 'reasoning', id: event.id, text: '', state: 'streaming' }
          : (message.parts[index] as ReasoningPart)
      const part: ReasoningPart = { ...previous, state: 'done' }
      if (event.text !== undefined) part.text = event.text
      if (event.signature !== undefined) part.signature = event.signature
      if (event.at !== undefined) part.endedAt = event.at
      return withPart(message, index, part)
    }
    case 'tool-call-start': {
      const index = findToolCall(message.parts, event.toolCallId)
      if (index !== -1) {
        const existing = message.parts[index] as ToolCallPart
        if (existing.toolName !== '' || event.toolName === '') return message
        return withPart(message, index, { ...existing, toolName: event.toolName })
      }
      const part: ToolCallPart = {
        type: 'tool-call',
        toolCallId: event.toolCallId,
        toolName: event.toolName,
        state: 'input-streaming',
        inputText: '',
      }
      if (event.providerExecuted !== undefined) part.providerExecuted = event.providerExecuted
      return withPart(message, -1, part)
    }
    case 'tool-call-delta': {
      const index = findToolCall(message.parts, event.toolCallId)
      if (index === -1) {
        return withPart(message, -1, {
          type: 'tool-call',
          toolCallId: event.toolCallId,
          toolName: '',
          state: 'input-streaming',
          inputText: event.delta,
        })
      }
      const part = message.parts[index] as ToolCallPart
      if (part.state !== 'input-streaming' || event.delta === '') return message
      return withPart(message, index, { ...part, inputText: appendText(part.inputText, event.delta) })
    }
    case 'tool-call-end': {
      const index = findToolCall(message.parts, event.toolCallId)
      const previous: ToolCallPart =
        index === -1
          ? {
              type: 'tool-call',
              toolCallId: event.toolCallId,
              toolName: event.toolName ?? '',
              state: 'input-streaming',
              inputText: '',
            }
          : (message.parts[index] as ToolCallPart)
      if (previous.state !== 'input-streaming') return message
      const part: ToolCallPart = { ...previous, inputText: event.inputText ?? previous.inputText }
      if (part.toolName === '' && event.toolName !== undefined) part.toolName = event.toolName
      if (event.providerExecuted !== undefined) part.providerExecuted = event.providerExecuted
      return withPart(message, index, completeToolInput(part, event.input, undefined))
    }
    case 'tool-running':
      return updateToolCall(message, event.toolCallId, (part) => {
        if (part.state !== 'input-available' && part.state !== 'input-streaming') return part
        const next: ToolCallPart = { ...part, state: 'running' }
        if (event.at !== undefined) next.startedAt = event.at
        return next
      })
    case 'tool-result': {
      const index = findToolCall(message.parts, event.toolCallId)
      if (index === -1) {
        const part: ToolCallPart = {
          type: 'tool-call',
          toolCallId: event.toolCallId,
          toolName: event.toolName ?? '',
          state: 'output-available',
          inputText: '',
          output: event.output,
        }
        if (event.at !== undefined) part.endedAt = event.at
        return withPart(message, -1, part)
      }
      const previous = message.parts[index] as ToolCallPart
      const part: ToolCallPart = { ...previous, state: 'output-available', output: event.output }
      if (part.input === undefined && part.inputText !== '') Object.assign(part, parseInput(part.inputText))
      if (event.at !== undefined) part.endedAt = event.at
      return withPart(message, index, part)
    }
    case 'tool-error':
      return updateToolCall(message, event.toolCallId, (part) => {
        const next: ToolCallPart = { ...part, state: 'output-error', errorText: event.errorText }
        if (event.at !== undefined) next.endedAt = event.at
        return next
      })
    case 'step-start': {
      const part: MessagePart =
        event.stepId === undefined ? { type: 'step-start' } : { type: 'step-start', stepId: event.stepId }
      return withPart(message, -1, part)
    }
    case 'step-end':
      return message
    case 'source': {
      const duplicate = message.parts.some(
        (part) =>
          part.type === 'source' &&
          (event.sourceId !== undefined ? part.sourceId === event.sourceId : part.url === event.url),
      )
      if (duplicate) return message
      const part: MessagePart = { type: 'source', url: event.url }
      if (event.title !== undefined) part.title = event.title
      if (event.sourceId !== undefined) part.sourceId = event.sourceId
      return withPart(message, -1, part)
    }
    case 'file': {
      const part: MessagePart = { type: 'file', url: event.url, mediaType: event.mediaType }
      if (event.name !== undefined) part.name = event.name
      return withPart(message, -1, part)
    }
    case 'data': {
      const part: MessagePart = { type: 'data', name: event.name, data: event.data }
      if (event.id !== undefined) {
        part.id = event.id
        const index = message.parts.findIndex(
          (p) => p.type === 'data' && p.name === event.name && p.id === event.id,
        )
        if (index !== -1) return withPart(message, index, part)
      }
      return withPart(message, -1, part)
    }
    case 'usage':
      return { ...message, usage: mergeUsage(message.usage, event.usage) }
    case 'metadata':
      return { ...message, metadata: { ...message.metadata, ...event.metadata } }
    default: {
      const unknown: never = event
      throw new Error(
        `reduceMessage received an event of unknown type ${JSON.stringify((unknown as { type: unknown }).type)}. Decoders must only emit ChatEvent types.`,
      )
    }
  }
}

function endMessage(message: Message, event: ChatEvent & { type: 'message-end' }): Message {
  let parts: MessagePart[]
  if (event.parts !== undefined) {
    parts = event.parts.slice()
  } else {
    parts = message.parts.map((part) => closePart(part, 'end'))
    if (event.content !== undefined) parts = replaceText(parts, event.content)
  }
  const next: Message = { ...message, status: 'complete', parts }
  delete next.error
  if (event.finishReason !== undefined) next.finishReason = event.finishReason
  if (event.rawFinishReason !== undefined) next.rawFinishReason = event.rawFinishReason
  if (event.usage !== undefined) next.usage = mergeUsage(message.usage, event.usage)
  if (event.metadata !== undefined) next.metadata = { ...message.metadata, ...event.metadata }
  return next
}

/** The final text replaces every text part: one text part, where the first one stood. */
function replaceText(parts: MessagePart[], content: string): MessagePart[] {
  const first = parts.findIndex((part) => part.type === 'text')
  const id = first === -1 ? 'text' : (parts[first] as TextPart).id
  const text: TextPart = { type: 'text', id, text: content, state: 'done' }
  if (first === -1) return content === '' ? parts : [...parts, text]
  const result: MessagePart[] = []
  for (const [index, part] of parts.entries()) {
    if (index === first) result.push(text)
    else if (part.type !== 'text') result.push(part)
  }
  return result
}

function stopMessage(message: Message, status: MessageStatus, error: MessageError | undefined): Message {
  const next: Message = { ...message, status, parts: message.parts.map((part) => closePart(part, 'stop')) }
  if (error !== undefined) next.error = error
  if (status === 'error' && next.finishReason === undefined) next.finishReason = 'error'
  return next
}

const unfinishedToolStates = new Set<ToolCallState>(['input-streaming', 'input-available', 'running'])

/**
 * Close a part when its message ends. At a normal end, tool input that never got its end event
 * is parsed once; if it is not complete JSON (cut off by a token limit) the call becomes
 * `output-error` instead of staying `input-streaming` forever. When the stream stops early
 * (cancel, error, disconnect), unfinished tool calls become `cancelled`.
 */
function closePart(part: MessagePart, how: 'end' | 'stop'): MessagePart {
  switch (part.type) {
    case 'text':
    case 'reasoning':
      return part.state === 'streaming' ? { ...part, state: 'done' } : part
    case 'tool-call':
      if (how === 'end') {
        return part.state === 'input-streaming' ? completeToolInput(part, undefined, 'end') : part
      }
      return unfinishedToolStates.has(part.state) ? { ...part, state: 'cancelled' } : part
    default:
      return part
  }
}

function completeToolInput(part: ToolCallPart, input: unknown, when: 'end' | undefined): ToolCallPart {
  if (input !== undefined) return { ...part, state: 'input-available', input }
  const parsed = parseInput(part.inputText)
  if ('input' in parsed) return { ...part, state: 'input-available', input: parsed.input }
  const reason =
    when === 'end'
      ? `The input of tool call "${part.toolCallId}" (${part.toolName || 'unnamed tool'}) was cut off before it was complete (${parsed.errorText}). The model probably hit its output token limit; raise max tokens and retry.`
      : `The input of tool call "${part.toolCallId}" (${part.toolName || 'unnamed tool'}) is not valid JSON (${parsed.errorText}).`
  return { ...part, state: 'output-error', errorText: reason }
}

/** Parse complete tool input once. Empty input means no arguments (`{}`), as every provider treats it. */
function parseInput(inputText: string): { input: unknown } | { errorText: string } {
  if (inputText.trim() === '') return { input: {} }
  try {
    return { input: JSON.parse(inputText) as unknown }
  } catch (cause) {
    return { errorText: (cause as Error).message }
  }
}

function updateToolCall(
  message: Message,
  toolCallId: string,
  update: (part: ToolCallPart) => ToolCallPart,
): Message {
  const index = findToolCall(message.parts, toolCallId)
  if (index === -1) return message
  const part = message.parts[index] as ToolCallPart
  const next = update(part)
  return next === part ? message : withPart(message, index, next)
}

/** Replace the part at `index`, or append it when `index` is -1. Copies the parts array only. */
function withPart(message: Message, index: number, part: MessagePart): Message {
  const parts = message.parts.slice()
  if (index === -1) parts.push(part)
  else parts[index] = part
  return { ...message, parts }
}

/** Find a text or reasoning part by id, searching from the end: the active part is almost always last. */
function findPart(parts: readonly MessagePart[], type: 'text' | 'reasoning', id: string): number {
  for (let index = parts.length - 1; index >= 0; index--) {
    const part = parts[index]!
    if (part.type === type && part.id === id) return index
  }
  return -1
}

function findToolCall(parts: readonly MessagePart[], toolCallId: string): number {
  for (let index = parts.length - 1; index >= 0; index--) {
    const part = parts[index]!
    if (part.type === 'tool-call' && part.toolCallId === toolCallId) return index
  }
  return -1
}

/** Below this length a text is flattened every this many characters. */
const minimumFlattenStep = 1024

/**
 * `text + delta`, kept near the text's own size.
 *
 * Concatenation is O(delta) because engines build a rope (V8 `ConsString`), but a rope of a
 * million 5-character tokens costs about 50 bytes per token: 1M tokens of text (4.7 MB) held
 * 36 MB. Reading one character flattens a rope in place (V8, SpiderMonkey and JavaScriptCore
 * all do), which frees the pieces. Doing that each time the length crosses a multiple of
 * 1/16–1/32 of itself keeps the unflattened tail under 1/16 of the text while copying each
 * character a bounded number of times (about 32), so the cost per token stays constant. The
 * decision depends only on the two lengths, so the reducer stays pure. See `test/bench/text-heap.ts`.
 */
function appendText(text: string, delta: string): string {
  const next = text + delta
  // 2^(floor(log2 length) - 4): a power of two between 1/32 and 1/16 of the length.
  const step = Math.max(minimumFlattenStep, 2 ** (27 - Math.clz32(next.length)))
  if (Math.floor(next.length / step) !== Math.floor(text.length / step)) next.charCodeAt(0)
  return next
}

/** Later usage reports win field by field (providers send totals, not increments). */
function mergeUsage(previous: Usage | undefined, next: Usage): Usage {
  return { ...previous, ...next }
}
