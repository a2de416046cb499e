/**
 * Inline tags: some models (DeepSeek R1 and Qwen over plain OpenAI-compatible servers, Hermes
 * tool calling) write their reasoning and tool calls into the text itself. This opt-in
 * transform turns them into proper events.
 *
 * @module
 */
import type { ChatEvent, TextEndEvent, TextStartEvent } from './events.ts'

/**
 * A stateful transform over a stream of events: `<think>…</think>` and `<thinking>…</thinking>`
 * inside text become reasoning, `<tool_call>{"name": …, "arguments": {…}}</tool_call>` becomes a
 * tool call. Everything else passes through unchanged.
 *
 * @example
 * ```ts
 * const inlineTags = createInlineTagTransform()
 * inlineTags.transform({ type: 'text-delta', messageId: 'm1', id: 't1', delta: '<think>Hm' })
 * // [{ type: 'reasoning-start', messageId: 'm1', id: 't1-reasoning-1' },
 * //  { type: 'reasoning-delta', messageId: 'm1', id: 't1-reasoning-1', delta: 'Hm' }]
 * ```
 */
export interface InlineTagTransform {
  /** Transform one event into the events it stands for (possibly none while a tag is held back). */
  transform(event: ChatEvent): ChatEvent[]
  /** The source ended: flush what is held back and close open reasoning. */
  end(): ChatEvent[]
}

type Mode = 'text' | 'reasoning' | 'tool-call'

/** Where one text block of the source (one source text id) is in its tags. */
interface TextBlockState {
  messageId: string
  /** The source's text id. */
  id: string
  /** The source's `text-start`, kept to clone its fields (such as `refusal`) onto new text segments. */
  start: TextStartEvent | undefined
  mode: Mode
  /** In reasoning mode: the closing tag that matches the opening one. */
  closingTag: string
  /** A possible tag at the end of the last delta, held back until it is complete or proven not to be a tag. */
  held: string
  /** In tool-call mode: the tag's body so far. */
  toolBody: string
  /** The text segment now open, if any. The first segment keeps the source id. */
  segmentId: string | undefined
  segmentCount: number
  reasoningId: string | undefined
  reasoningCount: number
  toolCallCount: number
  /** Whitespace right after a tag is dropped (`</think>\n\nAnswer` starts the answer at "Answer"). */
  trimLeading: boolean
  /** Whether any tag was found in this block. */
  tagged: boolean
  /** Whether a delta was seen for this block. */
  streamed: boolean
}

const openingTags = ['<think>', '<thinking>', '<tool_call>'] as const
const toolCallClosingTag = '</tool_call>'

/**
 * Whether `text` at `index` starts with one of `tags`: the tag, `'partial'` when the text ends
 * before the tag could be told apart (hold it back), or `undefined` when it is no tag.
 */
function matchTag(text: string, index: number, tags: readonly string[]): string | 'partial' | undefined {
  let partial = false
  const rest = text.length - index
  for (const tag of tags) {
    if (rest >= tag.length) {
      if (text.startsWith(tag, index)) return tag
    } else if (tag.startsWith(text.slice(index))) {
      partial = true
    }
  }
  return partial ? 'partial' : undefined
}

/** The parsed body of a `<tool_call>` tag, or undefined when it is not `{"name": string, "arguments"?: …}`. */
function parseToolCall(body: string): { name: string; input: unknown } | undefined {
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const record = value as Record<string, unknown>
  if (typeof record.name !== 'string' || record.name === '') return undefined
  let input = record.arguments ?? record.parameters ?? {}
  // Some models write the arguments as a JSON string, as OpenAI's wire does.
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input)
    } catch {
      // Not JSON: keep the string as the input.
    }
  }
  return { name: record.name, input }
}

/**
 * The text of `content` with every inline tag block removed: the final content a `message-end`
 * carries must not bring back the tags the stream turned into reasoning and tool calls.
 *
 * @example
 * ```ts
 * stripInlineTags('<think>Hm</think>\n\nParis.') // 'Paris.'
 * ```
 */
export function stripInlineTags(content: string): string {
  const transform = createInlineTagTransform()
  const events = [
    ...transform.transform({ type: 'text-delta', messageId: '', id: '', delta: content }),
    ...transform.transform({ type: 'text-end', messageId: '', id: '' }),
  ]
  let text = ''
  for (const event of events) if (event.type === 'text-delta') text += event.delta
  return text
}

/**
 * Create the inline-tag transform (used by `readChatEvents` with `inlineTags: true`).
 *
 * A tag split across deltas (`<thi` + `nk>`) is held back until it is complete or proven not
 * to be a tag; held-back text is flushed at `text-end` and at the end of the message. Work per
 * delta is proportional to the delta (plus at most one held-back tag), never to the text so far.
 *
 * Ids are deterministic: text after a tag block continues in a new text part `<id>-<n>` (so
 * parts stay in the order they were written), reasoning is `<id>-reasoning-<n>` and tool calls
 * are `<id>-tool-call-<n>`. Tool calls are emitted whole when their closing tag arrives; a body
 * that is not `{"name": …, "arguments": …}` JSON is given back as text, so nothing is lost.
 *
 * A source event's `sequence` goes on the last event made from it only: the reducer ignores an
 * event at or below the last applied sequence, so repeating it would drop the others.
 *
 * @example
 * ```ts
 * const inlineTags = createInlineTagTransform()
 * const events = [...source].flatMap((event) => inlineTags.transform(event))
 * events.push(...inlineTags.end())
 * ```
 */
export function createInlineTagTransform(): InlineTagTransform {
  // Keyed by message id and text id; insertion order is the order blocks began.
  const blocks = new Map<string, TextBlockState>()

  function blockKey(messageId: string, id: string): string {
    return `${messageId}\u0000${id}`
  }

  function blockFor(messageId: string, id: string): TextBlockState {
    const key = blockKey(messageId, id)
    let block = blocks.get(key)
    if (!block) {
      block = {
        messageId,
        id,
        start: undefined,
        mode: 'text',
        closingTag: '',
        held: '',
        toolBody: '',
        segmentId: undefined,
        segmentCount: 0,
        reasoningId: undefined,
        reasoningCount: 0,
        toolCallCount: 0,
        trimLeading: false,
        tagged: false,
        streamed: false,
      }
      blocks.set(key, block)
    }
    return block
  }

  function base(block: TextBlockState, source: ChatEvent): { messageId: string; at?: number } {
    return source.at === undefined
      ? { messageId: block.messageId }
      : { messageId: block.messageId, at: source.at }
  }

  /** Emit text in the current text segment, opening one if needed. */
  function emitText(block: TextBlockState, text: string, source: ChatEvent, out: ChatEvent[]): void {
    let content = text
    if (block.trimLeading) {
      content = content.trimStart()
      if (content === '') return
      block.trimLeading = false
    }
    if (content === '') return
    if (block.segmentId === undefined) {
      block.segmentCount += 1
      block.segmentId = block.segmentCount === 1 ? block.id : `${block.id}-${block.segmentCount}`
      // The first segment only gets a start when the source sent one; later ones always do.
      if (block.segmentCount > 1 || block.start) {
        const start: TextStartEvent = {
          ...(block.start ? stripSequence(block.start) : {}),
          ...base(block, source),
          type: 'text-start',
          id: block.segmentId,
        }
        out.push(start)
      }
    }
    const last = out[out.length - 1]
    // Merge with the delta just made for the same segment: one source delta gives one text delta.
    if (last?.type === 'text-delta' && last.id === block.segmentId && last.messageId === block.messageId) {
      last.delta += content
    } else {
      out.push({ ...base(block, source), type: 'text-delta', id: block.segmentId, delta: content })
    }
  }

  function emitReasoning(block: TextBlockState, text: string, source: ChatEvent, out: ChatEvent[]): void {
    let content = text
    if (block.trimLeading) {
      content = content.trimStart()
      if (content === '') return
      block.trimLeading = false
    }
    if (content === '' || block.reasoningId === undefined) return
    const last = out[out.length - 1]
    if (
      last?.type === 'reasoning-delta' &&
      last.id === block.reasoningId &&
      last.messageId === block.messageId
    ) {
      last.delta += content
    } else {
      out.push({ ...base(block, source), type: 'reasoning-delta', id: block.reasoningId, delta: content })
    }
  }

  /** Close the open text segment (a tag block follows it). */
  function closeSegment(block: TextBlockState, source: ChatEvent, out: ChatEvent[]): void {
    if (block.segmentId === undefined) return
    out.push({ ...base(block, source), type: 'text-end', id: block.segmentId })
    block.segmentId = undefined
  }

  function openTag(block: TextBlockState, tag: string, source: ChatEvent, out: ChatEvent[]): void {
    if (tag === '<tool_call>') {
      // The text segment stays open until the body proves to be a tool call: if it is not, the
      // tag goes back into the same text.
      block.mode = 'tool-call'
      block.toolBody = ''
      return
    }
    block.tagged = true
    closeSegment(block, source, out)
    block.trimLeading = true
    block.mode = 'reasoning'
    block.closingTag = tag === '<think>' ? '</think>' : '</thinking>'
    block.reasoningCount += 1
    block.reasoningId = `${block.id}-reasoning-${block.reasoningCount}`
    out.push({ ...base(block, source), type: 'reasoning-start', id: block.reasoningId })
  }

  function closeReasoning(block: TextBlockState, source: ChatEvent, out: ChatEvent[]): void {
    if (block.reasoningId !== undefined) {
      out.push({ ...base(block, source), type: 'reasoning-end', id: block.reasoningId })
    }
    block.reasoningId = undefined
    block.mode = 'text'
    block.trimLeading = true
  }

  /** A complete (or, at the end, unterminated) tool-call body: a tool call, or text when it does not parse. */
  function finishToolCall(block: TextBlockState, closed: boolean, source: ChatEvent, out: ChatEvent[]): void {
    const body = block.toolBody
    block.toolBody = ''
    block.mode = 'text'
    const call = parseToolCall(body)
    if (!call) {
      emitText(block, `<tool_call>${body}${closed ? toolCallClosingTag : ''}`, source, out)
      return
    }
    block.tagged = true
    closeSegment(block, source, out)
    block.toolCallCount += 1
    const toolCallId = `${block.id}-tool-call-${block.toolCallCount}`
    out.push({ ...base(block, source), type: 'tool-call-start', toolCallId, toolName: call.name })
    out.push({
      ...base(block, source),
      type: 'tool-call-end',
      toolCallId,
      toolName: call.name,
      input: call.input,
      inputText: JSON.stringify(call.input),
    })
    block.trimLeading = true
  }

  /** Scan held-back text plus a new delta. Cost: the delta plus at most one tag's length. */
  function scan(block: TextBlockState, delta: string, source: ChatEvent, out: ChatEvent[]): void {
    const text = block.held + delta
    block.held = ''
    let index = 0
    while (index < text.length) {
      if (block.mode === 'tool-call') {
        const close = text.indexOf('<', index)
        if (close === -1) {
          block.toolBody += text.slice(index)
          return
        }
        block.toolBody += text.slice(index, close)
        const match = matchTag(text, close, [toolCallClosingTag])
        if (match === 'partial') {
          block.held = text.slice(close)
          return
        }
        if (match === undefined) {
          block.toolBody += '<'
          index = close + 1
          continue
        }
        index = close + match.length
        finishToolCall(block, true, source, out)
        continue
      }
      const lessThan = text.indexOf('<', index)
      const emit = block.mode === 'text' ? emitText : emitReasoning
      if (lessThan === -1) {
        emit(block, text.slice(index), source, out)
        return
      }
      emit(block, text.slice(index, lessThan), source, out)
      const match = matchTag(text, lessThan, block.mode === 'text' ? openingTags : [block.closingTag])
      if (match === 'partial') {
        block.held = text.slice(lessThan)
        return
      }
      if (match === undefined) {
        emit(block, '<', source, out)
        index = lessThan + 1
        continue
      }
      index = lessThan + match.length
      if (block.mode === 'text') openTag(block, match, source, out)
      else closeReasoning(block, source, out)
    }
  }

  /** Flush what a block holds: held-back text is content after all, open reasoning ends. */
  function flush(block: TextBlockState, source: ChatEvent, out: ChatEvent[]): void {
    const held = block.held
    block.held = ''
    if (block.mode === 'tool-call') {
      block.toolBody += held
      finishToolCall(block, false, source, out)
    } else if (block.mode === 'reasoning') {
      emitReasoning(block, held, source, out)
      closeReasoning(block, source, out)
    } else {
      emitText(block, held, source, out)
    }
  }

  function endBlock(block: TextBlockState, event: TextEndEvent, out: ChatEvent[]): void {
    if (!block.streamed && event.text !== undefined) {
      // The whole text came only in the end event: scan it like one delta.
      block.streamed = true
      scan(block, event.text, event, out)
    }
    flush(block, event, out)
    blocks.delete(blockKey(block.messageId, block.id))
    if (block.segmentId !== undefined) {
      const end: TextEndEvent = { ...event, id: block.segmentId }
      // The source's final text still holds the tags; what was streamed is already right.
      if (block.tagged || end.text === undefined) delete end.text
      out.push(end)
    } else if (!block.tagged) {
      // An empty text block without tags passes through as it came.
      if (block.start) out.push(block.start)
      out.push(event)
    }
  }

  function flushMessage(messageId: string, source: ChatEvent, out: ChatEvent[]): void {
    for (const [key, block] of blocks) {
      if (block.messageId !== messageId) continue
      flush(block, source, out)
      blocks.delete(key)
    }
  }

  /** Put the source's sequence on the last event made from it, and on no other (copies, never mutations). */
  function withSequence(source: ChatEvent, out: ChatEvent[]): ChatEvent[] {
    const sequence = source.sequence
    if (sequence === undefined) return out
    const lastIndex = out.length - 1
    return out.map((event, index) => {
      if (index === lastIndex) return event.sequence === sequence ? event : { ...event, sequence }
      return stripSequence(event)
    })
  }

  return {
    transform(event) {
      switch (event.type) {
        case 'text-start': {
          // Held until the block's first text, so a block that opens with a tag makes no empty part.
          const block = blockFor(event.messageId, event.id)
          block.start = event
          return []
        }
        case 'text-delta': {
          const block = blockFor(event.messageId, event.id)
          block.streamed = true
          const out: ChatEvent[] = []
          scan(block, event.delta, stripSequence(event), out)
          return withSequence(event, out)
        }
        case 'text-end': {
          const block = blockFor(event.messageId, event.id)
          const out: ChatEvent[] = []
          endBlock(block, event, out)
          return withSequence(event, out)
        }
        case 'message-end':
        case 'message-error':
        case 'message-abort':
        case 'message-interrupt': {
          const out: ChatEvent[] = []
          flushMessage(event.messageId, stripSequence(event), out)
          const terminal =
            event.type === 'message-end' && event.content !== undefined
              ? { ...event, content: stripInlineTags(event.content) }
              : event
          out.push(terminal)
          return withSequence(event, out)
        }
        default:
          return [event]
      }
    },
    end() {
      const out: ChatEvent[] = []
      for (const block of blocks.values()) {
        flush(block, { type: 'message-abort', messageId: block.messageId }, out)
      }
      blocks.clear()
      return out
    },
  }
}

/** A copy of the event without its sequence, used as the template of the events made from it. */
function stripSequence<Event extends ChatEvent>(event: Event): Event {
  if (event.sequence === undefined) return event
  const { sequence: _sequence, ...rest } = event
  return rest as Event
}
