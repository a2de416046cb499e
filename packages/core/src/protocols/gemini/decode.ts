/**
 * Google Gemini `streamGenerateContent?alt=sse` → {@link ChatEvent}s.
 *
 * Every SSE event is one `GenerateContentResponse`: `candidates[0].content.parts[]` (incremental
 * `text`, `thought: true` reasoning text, whole `functionCall`s), a cumulative `usageMetadata`,
 * `modelVersion` and `responseId`. There is no terminator: the chunk that carries
 * `candidates[0].finishReason` ends the answer.
 *
 * What is supported beyond the basics:
 * - `thoughtSignature` on any part. On a thought part it becomes the reasoning part's
 *   `signature`; on the first non-thought part after reasoning it closes that reasoning with the
 *   signature (Gemini signs the thinking that led to the call or text). Every signature is also
 *   kept in the message metadata, `thoughtSignatures[toolCallId | textPartId]`, so an app can
 *   echo it back on the right part in the next turn.
 * - Vertex AI streamed function-call arguments (`streamFunctionCallArguments`): a call opens
 *   with `functionCall: {name, willContinue: true}`, continues with `partialArgs[{jsonPath,
 *   stringValue | numberValue | boolValue | nullValue, willContinue}]` and closes with a
 *   `functionCall` without `willContinue` (usually `{}`). String values with the same path are
 *   concatenated while their `willContinue` is true. Paths of the form `$.a.b`, `$.a[0]` and
 *   `$['a b']` are understood; others are skipped. The input streams as JSON text (for
 *   progressive display) as long as it only grows at its end; the final input is exact.
 * - A JSON error object (`{"error": {code, message, status}}`, or an array of them) in a frame,
 *   which is how Gemini reports an error that happens after streaming started.
 * - `promptFeedback.blockReason` without candidates: the prompt was blocked, finish reason
 *   `content-filter`.
 * - `groundingMetadata.groundingChunks[].web` as `source` events.
 *
 * @example
 * ```ts
 * import { geminiProtocol } from '@sluice/core'
 * const decoder = geminiProtocol.createDecoder({ messageId: 'm1' })
 * decoder.decode({ data: '{"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"finishReason":"STOP"}]}' })
 * // → message-start, text-start, text-delta 'Hi', text-end, message-end (stop)
 * ```
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { FinishReason, MessageError, Usage } from '../../message.ts'
import type { DecoderOptions, Protocol } from '../../protocol.ts'
import { isRecord, numberField, stringField } from '../json-frame.ts'
import {
  createJsonFrameDecoder,
  createMessageEmitter,
  createTextBlocks,
  decodeErrorBody,
  type EventSink,
  isForbiddenKey,
  type JsonFrameDecoder,
  type MessageEmitter,
  replayJsonBody,
  stringifyWireValue,
  type TextBlocks,
  tooDeepError,
  wireDepthExceeds,
} from '../shared/index.ts'

/** The message id used when neither the caller nor the wire (`responseId`) gives one. */
export const geminiDefaultMessageId = 'gemini-response'

const contentFilterReasons = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
])
const toolErrorReasons = new Set(['MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS'])

/**
 * Gemini's `finishReason`, normalized. Gemini says `STOP` when the model called functions, so a
 * `STOP` with function calls becomes `tool-calls`.
 *
 * @example
 * ```ts
 * finishReasonFromGemini('MAX_TOKENS', false) // 'length'
 * finishReasonFromGemini('STOP', true) // 'tool-calls'
 * ```
 */
export function finishReasonFromGemini(finishReason: string, hasToolCalls: boolean): FinishReason {
  if (finishReason === 'STOP') return hasToolCalls ? 'tool-calls' : 'stop'
  if (finishReason === 'MAX_TOKENS') return 'length'
  if (contentFilterReasons.has(finishReason)) return 'content-filter'
  if (toolErrorReasons.has(finishReason)) return 'error'
  return 'other'
}

/**
 * Gemini's `usageMetadata` as {@link Usage}. `outputTokens` is `candidatesTokenCount`, which
 * Gemini counts without the thinking tokens (those are `reasoningTokens`); `totalTokens` is
 * Gemini's own total.
 *
 * @example
 * ```ts
 * usageFromGemini({ promptTokenCount: 9, candidatesTokenCount: 23, thoughtsTokenCount: 185, totalTokenCount: 217 })
 * // → { inputTokens: 9, outputTokens: 23, reasoningTokens: 185, totalTokens: 217 }
 * ```
 */
export function usageFromGemini(usageMetadata: unknown): Usage {
  const usage: Usage = {}
  if (!isRecord(usageMetadata)) return usage
  const fields = [
    ['inputTokens', usageMetadata.promptTokenCount],
    ['outputTokens', usageMetadata.candidatesTokenCount],
    ['reasoningTokens', usageMetadata.thoughtsTokenCount],
    ['cachedInputTokens', usageMetadata.cachedContentTokenCount],
    ['totalTokens', usageMetadata.totalTokenCount],
  ] as const
  for (const [key, raw] of fields) {
    const value = numberField(raw)
    if (value !== undefined) usage[key] = value
  }
  return usage
}

/**
 * The provider's error from a Google error body: `{"error": {"code": 429, "message": "…",
 * "status": "RESOURCE_EXHAUSTED"}}`, or an array holding one (what the non-SSE endpoint and
 * some mid-stream failures send).
 *
 * @example
 * ```ts
 * errorFromGemini({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } })
 * // → { message: 'The model is overloaded.', code: 'UNAVAILABLE', status: 503 }
 * ```
 */
export function errorFromGemini(value: unknown): MessageError | undefined {
  if (Array.isArray(value)) {
    // One level: the error bodies in a top-level array, never arrays nested in it.
    for (const item of value) {
      const error = Array.isArray(item) ? undefined : errorFromGemini(item)
      if (error !== undefined) return error
    }
    return undefined
  }
  if (!isRecord(value) || !('error' in value)) return undefined
  const error = value.error
  if (typeof error === 'string') return { message: error }
  if (!isRecord(error)) return undefined
  const code = numberField(error.code)
  const status = stringField(error.status) ?? (code === undefined ? undefined : String(code))
  const message = stringField(error.message) ?? `Gemini reported an error${status ? ` (${status})` : ''}.`
  return {
    message,
    ...(status === undefined ? {} : { code: status }),
    ...(code === undefined ? {} : { status: code }),
  }
}

function sameUsage(left: Usage, right: Usage): boolean {
  const keys = Object.keys(left) as (keyof Usage)[]
  return keys.length === Object.keys(right).length && keys.every((key) => left[key] === right[key])
}

type PathSegment = string | number

/** A longer `partialArgs` path is not a tool argument; it is skipped. */
const maxPathLength = 64

/**
 * The segments of a JSONPath as Vertex writes them (`$.location`, `$.stops[0].city`,
 * `$['odd key']`), or undefined for anything else.
 */
function parseJsonPath(path: string): PathSegment[] | undefined {
  if (!path.startsWith('$')) return undefined
  const segments: PathSegment[] = []
  let index = 1
  while (index < path.length) {
    const character = path[index]
    if (character === '.') {
      const match = /^[^.[]+/.exec(path.slice(index + 1))
      if (match === null) return undefined
      if (isForbiddenKey(match[0])) return undefined
      segments.push(match[0])
      index += 1 + match[0].length
    } else if (character === '[') {
      const quote = path[index + 1]
      if (quote === "'" || quote === '"') {
        const close = path.indexOf(`${quote}]`, index + 2)
        if (close === -1) return undefined
        const key = path.slice(index + 2, close)
        if (isForbiddenKey(key)) return undefined
        segments.push(key)
        index = close + 2
      } else {
        const close = path.indexOf(']', index)
        const position = Number(path.slice(index + 1, close))
        if (close === -1 || !Number.isInteger(position) || position < 0) return undefined
        segments.push(position)
        index = close + 1
      }
    } else {
      return undefined
    }
  }
  return segments.length === 0 ? undefined : segments
}

function readPath(root: unknown, segments: readonly PathSegment[]): unknown {
  let current = root
  for (const segment of segments) {
    if (typeof segment === 'number' ? !Array.isArray(current) : !isRecord(current)) return undefined
    // Own properties only: a path never reads what an object inherits.
    if (!Object.hasOwn(current as object, segment)) return undefined
    current = (current as Record<PathSegment, unknown>)[segment]
  }
  return current
}

/** Paths with `__proto__`, `constructor` or `prototype` never get here (`parseJsonPath` refuses them). */
function writePath(root: Record<string, unknown>, segments: readonly PathSegment[], value: unknown): void {
  if (segments.length > maxPathLength) return
  let container: Record<PathSegment, unknown> = root
  for (let index = 0; index < segments.length - 1; index++) {
    const segment = segments[index]!
    const nextIsIndex = typeof segments[index + 1] === 'number'
    const existing = container[segment]
    if (nextIsIndex ? !Array.isArray(existing) : !isRecord(existing))
      container[segment] = nextIsIndex ? [] : {}
    container = container[segment] as Record<PathSegment, unknown>
  }
  container[segments[segments.length - 1]!] = value
}

/** A Vertex function call whose arguments are still streaming. */
interface StreamingCall {
  toolCallId: string
  args: Record<string, unknown>
  /** Paths whose string value continues in the next partial argument. */
  continuingPaths: Set<string>
  /** The input text streamed so far as tool-call-delta events. */
  streamedText: string
  /** The arguments stopped growing only at the end, so deltas stopped; the end event still has the exact input. */
  deltasStopped: boolean
}

/** Per-response state: the message, its blocks, the call whose arguments stream, usage so far. */
class GeminiDecoderState {
  readonly message: MessageEmitter
  private readonly blocks: TextBlocks
  /** The signature a thought part gave the open reasoning block. */
  private reasoningSignature: string | undefined
  private lastTextId: string | undefined
  private toolCallCount = 0
  private streamingCall: StreamingCall | undefined
  private usage: Usage = {}
  /** Keyed by tool call ids from the wire: a Map, so an id such as `__proto__` is only a key. */
  private readonly thoughtSignatures = new Map<string, string>()
  private readonly sourceUrls = new Set<string>()

  constructor(options: DecoderOptions | undefined) {
    this.message = createMessageEmitter({
      messageId: options?.messageId,
      fallbackMessageId: geminiDefaultMessageId,
    })
    this.blocks = createTextBlocks(() => this.message.messageId, { numbering: 'shared' })
  }

  get messageId(): string {
    return this.message.messageId
  }

  /** Decode one parsed `GenerateContentResponse` (or a top-level array of them, or an error body). */
  value(value: unknown, nested = false): void {
    if (this.message.isTerminal) return
    const error = errorFromGemini(value)
    if (error !== undefined) {
      this.fail(error)
      return
    }
    if (Array.isArray(value)) {
      // Only the top level is a list of responses; an array inside it is not a response.
      if (!nested) for (const item of value) this.value(item, true)
      return
    }
    // Unknown JSON values are no-ops.
    if (!isRecord(value)) return
    this.start(value)
    const events = this.message
    // usageMetadata is a cumulative snapshot; merging keeps the latest value of every field even
    // when a chunk reports only some (Vertex sends `{trafficType}` alone until the last chunk).
    const usage = { ...this.usage, ...usageFromGemini(value.usageMetadata) }
    // Usage goes out as it grows (before this chunk's content), so a re-encoded stream carries
    // `usageMetadata` on the same chunks as the original.
    if (!sameUsage(usage, this.usage)) {
      this.usage = usage
      events.push({ type: 'usage', messageId: this.messageId, usage })
    }
    const candidates = Array.isArray(value.candidates) ? value.candidates : []
    // Sluice shows one answer: the first candidate (index 0, or no index).
    const candidate = candidates.find(
      (item): item is Record<string, unknown> => isRecord(item) && (numberField(item.index) ?? 0) === 0,
    )
    if (candidate !== undefined) {
      const content = isRecord(candidate.content) ? candidate.content : undefined
      if (Array.isArray(content?.parts)) for (const part of content.parts) this.part(events, part)
      this.sources(events, candidate.groundingMetadata)
      const finishReason = stringField(candidate.finishReason)
      if (finishReason !== undefined) this.finish(events, finishReason, stringField(candidate.finishMessage))
    } else if (
      isRecord(value.promptFeedback) &&
      stringField(value.promptFeedback.blockReason) !== undefined
    ) {
      this.blocked(events, value.promptFeedback)
    }
  }

  /** End the message with an error: a Google error body. */
  fail(error: MessageError): void {
    this.message.fail(error)
  }

  /** The source ended: without a `finishReason` the answer was cut short. */
  end(cutOff: boolean): void {
    this.message.interrupt(
      `The Gemini stream for message "${this.messageId}" ended before a chunk with a finishReason arrived${cutOff ? ' (its last frame was cut off)' : ''}, so the answer is incomplete. Check the connection (or a proxy timeout) and retry.`,
    )
  }

  /** A whole non-streaming body ended without `finishReason`: it is still all there is. */
  complete(): void {
    if (this.message.isTerminal) return
    this.closeBlock(this.message)
    this.message.end(Object.keys(this.usage).length > 0 ? { usage: this.usage } : {})
  }

  private start(value: Record<string, unknown>): void {
    if (this.message.isStarted) return
    const metadata: Record<string, unknown> = {}
    const responseId = stringField(value.responseId)
    const model = stringField(value.modelVersion)
    const createTime = stringField(value.createTime)
    if (responseId !== undefined) {
      this.message.useWireId(responseId)
      metadata.responseId = responseId
    }
    if (model !== undefined) metadata.model = model
    if (createTime !== undefined) metadata.createTime = createTime
    this.message.start(metadata)
  }

  private part(events: EventSink, part: unknown): void {
    if (!isRecord(part)) return
    const signature = stringField(part.thoughtSignature) || undefined
    if (isRecord(part.functionCall)) {
      this.functionCall(events, part.functionCall, signature)
      return
    }
    const text = stringField(part.text)
    // executableCode, codeExecutionResult, inlineData and future part kinds are no-ops.
    if (text === undefined) return
    if (part.thought === true) {
      if (text !== '') this.delta(events, 'reasoning', text)
      if (signature !== undefined && this.blocks.open?.type === 'reasoning')
        this.reasoningSignature = signature
      return
    }
    if (signature !== undefined) {
      // A signature on the first answer part after the thoughts signs those thoughts.
      if (this.blocks.open?.type === 'reasoning') this.closeBlock(events, signature)
      // Keyed by the text part it arrives with: the open one, the one this text starts, or (for
      // Gemini 3's trailing empty part) the last one. Recorded before the text, so an encoder
      // sees it in time to put it on the same part.
      const open = this.blocks.open
      const key =
        open?.type === 'text'
          ? open.id
          : text !== ''
            ? this.blocks.nextId('text')
            : (this.lastTextId ?? this.blocks.nextId('text'))
      this.recordSignature(events, key, signature)
    }
    if (text !== '') this.delta(events, 'text', text)
  }

  private delta(events: EventSink, kind: 'text' | 'reasoning', delta: string): void {
    // Close with the reasoning's signature before the blocks switch kind.
    if (this.blocks.open !== undefined && this.blocks.open.type !== kind) this.closeBlock(events)
    this.blocks.append(events, kind, delta)
    if (kind === 'text') this.lastTextId = this.blocks.open?.id
  }

  private closeBlock(events: EventSink, signature?: string): void {
    const open = this.blocks.open
    if (open === undefined) return
    this.blocks.close(events, open.type === 'reasoning' ? (this.reasoningSignature ?? signature) : undefined)
    this.reasoningSignature = undefined
  }

  private recordSignature(events: EventSink, key: string, signature: string): void {
    this.thoughtSignatures.set(key, signature)
    // The whole map every time, so a shallow metadata merge keeps every signature.
    events.push({
      type: 'metadata',
      messageId: this.messageId,
      metadata: { thoughtSignatures: Object.fromEntries(this.thoughtSignatures) },
    })
  }

  private functionCall(
    events: EventSink,
    call: Record<string, unknown>,
    signature: string | undefined,
  ): void {
    const name = stringField(call.name)
    const willContinue = call.willContinue === true
    const partialArgs = Array.isArray(call.partialArgs) ? call.partialArgs : undefined
    if (this.streamingCall !== undefined) {
      if (name === undefined) {
        if (partialArgs !== undefined) this.applyPartialArgs(events, this.streamingCall, partialArgs)
        if (!willContinue) this.endStreamingCall(events)
        return
      }
      // A named call while another streams: the earlier one lost its closing part; end it as it is.
      this.endStreamingCall(events)
    }
    // A closing `{}` with nothing open carries nothing.
    if (name === undefined) return
    this.closeBlock(events, signature)
    // The Gemini API sends no call ids; a counter keeps them deterministic across replays.
    const toolCallId = stringField(call.id) || `call_${this.toolCallCount}`
    this.toolCallCount++
    if (signature !== undefined) this.recordSignature(events, toolCallId, signature)
    events.push({ type: 'tool-call-start', messageId: this.messageId, toolCallId, toolName: name })
    const args = isRecord(call.args) ? call.args : {}
    const what = `the arguments of function call "${toolCallId}"`
    if (willContinue) {
      if (wireDepthExceeds(args)) throw tooDeepError('Gemini', what)
      this.streamingCall = {
        toolCallId,
        args: structuredClone(args),
        continuingPaths: new Set(),
        streamedText: '',
        deltasStopped: false,
      }
      if (partialArgs !== undefined) this.applyPartialArgs(events, this.streamingCall, partialArgs)
      return
    }
    events.push({
      type: 'tool-call-end',
      messageId: this.messageId,
      toolCallId,
      toolName: name,
      input: args,
      inputText: stringifyWireValue(args, 'Gemini', what),
    })
  }

  private applyPartialArgs(events: EventSink, call: StreamingCall, partialArgs: readonly unknown[]): void {
    for (const partialArg of partialArgs) {
      if (!isRecord(partialArg)) continue
      const path = stringField(partialArg.jsonPath)
      const segments = path === undefined ? undefined : parseJsonPath(path)
      if (path === undefined || segments === undefined) continue
      const stringValue = stringField(partialArg.stringValue)
      if (stringValue !== undefined) {
        const previous = readPath(call.args, segments)
        const continues = call.continuingPaths.has(path) && typeof previous === 'string'
        writePath(call.args, segments, continues ? previous + stringValue : stringValue)
        if (partialArg.willContinue === true) call.continuingPaths.add(path)
        else call.continuingPaths.delete(path)
      } else if (typeof partialArg.numberValue === 'number') {
        writePath(call.args, segments, partialArg.numberValue)
      } else if (typeof partialArg.boolValue === 'boolean') {
        writePath(call.args, segments, partialArg.boolValue)
      } else if ('nullValue' in partialArg) {
        writePath(call.args, segments, null)
      }
    }
    if (call.deltasStopped) return
    // The arguments so far, without the closing quote and brackets, so the next delta can extend it.
    const openText = stringifyWireValue(
      call.args,
      'Gemini',
      `the arguments of function call "${call.toolCallId}"`,
    ).replace(/"?[}\]]*$/, '')
    if (!openText.startsWith(call.streamedText)) {
      call.deltasStopped = true
      return
    }
    const delta = openText.slice(call.streamedText.length)
    if (delta === '') return
    call.streamedText = openText
    events.push({ type: 'tool-call-delta', messageId: this.messageId, toolCallId: call.toolCallId, delta })
  }

  private endStreamingCall(events: EventSink): void {
    const call = this.streamingCall
    if (call === undefined) return
    this.streamingCall = undefined
    events.push({
      type: 'tool-call-end',
      messageId: this.messageId,
      toolCallId: call.toolCallId,
      input: call.args,
      inputText: stringifyWireValue(
        call.args,
        'Gemini',
        `the arguments of function call "${call.toolCallId}"`,
      ),
    })
  }

  private sources(events: EventSink, groundingMetadata: unknown): void {
    if (!isRecord(groundingMetadata) || !Array.isArray(groundingMetadata.groundingChunks)) return
    for (const chunk of groundingMetadata.groundingChunks) {
      const web = isRecord(chunk) && isRecord(chunk.web) ? chunk.web : undefined
      const url = stringField(web?.uri)
      if (url === undefined || this.sourceUrls.has(url)) continue
      this.sourceUrls.add(url)
      const title = stringField(web?.title)
      events.push(
        title === undefined
          ? { type: 'source', messageId: this.messageId, url }
          : { type: 'source', messageId: this.messageId, url, title },
      )
    }
  }

  private finish(events: EventSink, rawFinishReason: string, finishMessage: string | undefined): void {
    // A call still streaming its arguments stays unfinished; the reducer marks it as failed.
    this.streamingCall = undefined
    this.closeBlock(events)
    this.message.end({
      finishReason: finishReasonFromGemini(rawFinishReason, this.toolCallCount > 0),
      rawFinishReason,
      ...(Object.keys(this.usage).length > 0 ? { usage: this.usage } : {}),
      ...(finishMessage === undefined ? {} : { metadata: { finishMessage } }),
    })
  }

  private blocked(events: EventSink, promptFeedback: Record<string, unknown>): void {
    const blockReason = stringField(promptFeedback.blockReason)!
    const blockReasonMessage = stringField(promptFeedback.blockReasonMessage)
    this.closeBlock(events)
    this.message.end({
      finishReason: 'content-filter',
      rawFinishReason: blockReason,
      ...(Object.keys(this.usage).length > 0 ? { usage: this.usage } : {}),
      metadata: blockReasonMessage === undefined ? { blockReason } : { blockReason, blockReasonMessage },
    })
  }
}

function createGeminiDecoder(options?: DecoderOptions): JsonFrameDecoder {
  const state = new GeminiDecoderState(options)
  return createJsonFrameDecoder(state.message, 'Gemini', {
    value: (value) => state.value(value),
    endOfSource: (cutOff) => state.end(cutOff),
    endOfBody: () => state.complete(),
  })
}

/**
 * The Gemini `streamGenerateContent?alt=sse` protocol (Gemini API and Vertex AI): text, thought
 * summaries as reasoning, whole function calls (ids `call_0`, `call_1`, … when the wire has
 * none), Vertex streamed function-call arguments, thought signatures, usage, finish reasons,
 * blocked prompts and Google error bodies.
 *
 * @example
 * ```ts
 * import { collectMessage, geminiProtocol } from '@sluice/core'
 * const response = await fetch(`${base}/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, init)
 * const message = await collectMessage(response.body!, geminiProtocol)
 * ```
 */
export const geminiProtocol: Protocol = {
  id: 'gemini',
  framing: 'sse',
  // Gemini appends a bare JSON error body (not SSE) when it fails after streaming started.
  readsRawLines: true,
  createDecoder: createGeminiDecoder,
  decodeResponse(body: unknown, options?: DecoderOptions): ChatEvent[] {
    return replayJsonBody(createGeminiDecoder(options), [body])
  },
  decodeError: (body: unknown, status: number): MessageError | undefined =>
    decodeErrorBody(body, status, errorFromGemini),
}
