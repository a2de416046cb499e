/**
 * {@link ChatEvent}s → the SSE events Gemini's `streamGenerateContent?alt=sse` sends (for mocks).
 *
 * Every chunk is a `GenerateContentResponse`: `{candidates: [{content: {parts, role: 'model'},
 * finishReason?, index: 0}], usageMetadata?, modelVersion, responseId}`. Text and thoughts go out
 * as they stream; a function call goes out whole once its input is complete (Gemini never
 * fragments arguments); a reasoning signature rides on the next answer part, or on a trailing
 * empty text part, as Gemini 3 sends it.
 *
 * @example
 * ```ts
 * import { geminiCodec } from '@sluice/core/encoders'
 * const encoder = geminiCodec.createEncoder({ model: 'gemini-2.5-flash', responseId: 'r1' })
 * encoder.encode({ type: 'text-delta', messageId: 'm1', id: 't1', delta: 'Hi' })
 * // → [{ data: '{"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"index":0}],"modelVersion":"gemini-2.5-flash","responseId":"r1"}' }]
 * ```
 * @module
 */
import type { ChatEvent, MessageEndEvent } from '../../events.ts'
import type { MessageError, Usage } from '../../message.ts'
import type { EncoderOptions, Frame, ProtocolCodec, ProtocolEncoder } from '../../protocol.ts'

/** The model version echoed when the caller gives none. */
export const geminiDefaultModel = 'gemini-2.5-flash'
/** The `responseId` sent when the caller gives none (fixed, so the same scenario gives the same bytes). */
export const geminiDefaultResponseId = 'sluice-mock-response'

/** One part as Gemini writes it. */
type GeminiPart =
  | { text: string; thought?: true; thoughtSignature?: string }
  | { functionCall: { name: string; args: unknown }; thoughtSignature?: string }

/** Google's canonical status name for an HTTP status (google.rpc.Code as mapped by the API gateway). */
const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
}

/**
 * Google's status name for an HTTP status: `RESOURCE_EXHAUSTED` for 429, `UNAUTHENTICATED` for
 * 401, `INTERNAL` for 500, …
 *
 * @example
 * ```ts
 * geminiStatusName(429) // 'RESOURCE_EXHAUSTED'
 * ```
 */
export function geminiStatusName(status: number): string {
  return (
    statusNames[status] ?? (status >= 500 ? 'INTERNAL' : status >= 400 ? 'FAILED_PRECONDITION' : 'UNKNOWN')
  )
}

/** Google's error body for an error, as Gemini sends it before or in place of a stream. */
function errorBody(status: number, message: string, code: string | undefined) {
  return { error: { code: status, message, status: code ?? geminiStatusName(status) } }
}

function errorBodyOf(error: MessageError) {
  const code = error.code !== undefined && /^[A-Z_]+$/.test(error.code) ? error.code : undefined
  return errorBody(error.status ?? 500, error.message, code)
}

/** Gemini's `finishReason` for a message end: its own word when it is one, else the nearest. */
function finishReasonOf(event: MessageEndEvent | undefined): string {
  const raw = event?.rawFinishReason
  if (raw !== undefined && /^[A-Z_]+$/.test(raw)) return raw
  switch (event?.finishReason) {
    case 'length':
      return 'MAX_TOKENS'
    case 'content-filter':
      return 'SAFETY'
    case 'error':
      return 'MALFORMED_FUNCTION_CALL'
    case 'other':
      return 'OTHER'
    default:
      return 'STOP'
  }
}

/** Gemini's `usageMetadata` for the usage known so far, or undefined when nothing is known. */
function usageMetadataOf(usage: Usage): Record<string, number> | undefined {
  if (Object.keys(usage).length === 0) return undefined
  const metadata: Record<string, number> = {}
  if (usage.inputTokens !== undefined) metadata.promptTokenCount = usage.inputTokens
  if (usage.outputTokens !== undefined) metadata.candidatesTokenCount = usage.outputTokens
  // Gemini always reports a total; it is the sum when the events do not carry one.
  metadata.totalTokenCount =
    usage.totalTokens ?? (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0) + (usage.reasoningTokens ?? 0)
  if (usage.cachedInputTokens !== undefined) metadata.cachedContentTokenCount = usage.cachedInputTokens
  if (usage.reasoningTokens !== undefined) metadata.thoughtsTokenCount = usage.reasoningTokens
  return metadata
}

function toolArguments(input: unknown, inputText: string): unknown {
  if (input !== undefined) return input
  if (inputText === '') return {}
  try {
    return JSON.parse(inputText) as unknown
  } catch {
    return {}
  }
}

/** One candidate as Gemini writes it (Sluice always streams exactly one, index 0). */
interface GeminiCandidate {
  content: { parts: GeminiPart[]; role: 'model' }
  finishReason?: string
  index: 0
  finishMessage?: string
}

/** One `GenerateContentResponse` chunk. */
interface GeminiChunk {
  candidates: [GeminiCandidate]
  usageMetadata?: Record<string, number>
  modelVersion: string
  responseId: string
}

/** Builds chunks with the fields every Gemini chunk repeats, in Gemini's key order. */
function chunkWriter(options: EncoderOptions | undefined) {
  const modelVersion = options?.model ?? geminiDefaultModel
  const responseId = options?.responseId ?? geminiDefaultResponseId
  return (
    parts: GeminiPart[],
    usageMetadata: Record<string, number> | undefined,
    finishReason?: string,
    finishMessage?: string,
  ): GeminiChunk => {
    const content: GeminiCandidate['content'] = { parts, role: 'model' }
    // Gemini writes finishReason before index, and finishMessage after it.
    const candidate: GeminiCandidate =
      finishReason === undefined
        ? { content, index: 0 }
        : finishMessage === undefined
          ? { content, finishReason, index: 0 }
          : { content, finishReason, index: 0, finishMessage }
    const chunk: GeminiChunk = { candidates: [candidate], modelVersion, responseId }
    if (usageMetadata === undefined) return chunk
    return { candidates: [candidate], usageMetadata, modelVersion, responseId }
  }
}

/**
 * Where thought signatures go: a signature the decoder keyed to a part (metadata
 * `thoughtSignatures[partId]`) rides on that part's first chunk, or on the last chunk when the
 * part already went out; a reasoning signature rides on the next answer part.
 */
function signaturePlacer() {
  const waiting = new Map<string, string>()
  const trailing: string[] = []
  const emitted = new Set<string>()
  const known = new Map<string, string>()
  let pending: string | undefined
  return {
    reasoningSigned(signature: string) {
      pending = signature
    },
    metadata(metadata: Record<string, unknown>) {
      const signatures = metadata.thoughtSignatures
      if (typeof signatures !== 'object' || signatures === null) return
      for (const [key, value] of Object.entries(signatures)) {
        if (typeof value !== 'string' || known.get(key) === value) continue
        known.set(key, value)
        if (emitted.has(key)) trailing.push(value)
        else waiting.set(key, value)
      }
    },
    /** The part, with its signature when one is due. `key` is the text part or tool call id. */
    sign<Part extends GeminiPart>(part: Part, key: string | undefined): Part {
      let signature: string | undefined
      if (key !== undefined) {
        emitted.add(key)
        signature = waiting.get(key)
        waiting.delete(key)
      }
      signature ??= pending
      pending = undefined
      return signature === undefined ? part : { ...part, thoughtSignature: signature }
    },
    /** The signature for the final chunk's part, if any is still unsent. */
    final(): string | undefined {
      const signature = trailing.shift() ?? waiting.values().next().value ?? pending
      pending = undefined
      return signature
    },
  }
}

/** Events → chunk objects (or the error body that ends the stream). */
function createChunkEncoder(options?: EncoderOptions) {
  const chunk = chunkWriter(options)
  const pendingToolCalls = new Map<string, { name: string; inputText: string }>()
  const signatures = signaturePlacer()
  let usage: Usage = {}
  let streamedText = false
  let finished = false

  const frame = (parts: GeminiPart[], finishReason?: string, finishMessage?: string): GeminiChunk =>
    chunk(parts, usageMetadataOf(usage), finishReason, finishMessage)

  return (event: ChatEvent): (GeminiChunk | ReturnType<typeof errorBodyOf>)[] => {
    if (finished) return []
    switch (event.type) {
      case 'text-delta':
        if (event.delta === '') return []
        streamedText = true
        return [frame([signatures.sign({ text: event.delta }, event.id)])]
      case 'reasoning-delta':
        if (event.delta === '') return []
        return [frame([{ text: event.delta, thought: true }])]
      case 'reasoning-end':
        if (event.signature !== undefined) signatures.reasoningSigned(event.signature)
        return []
      case 'metadata':
        signatures.metadata(event.metadata)
        return []
      case 'tool-call-start':
        pendingToolCalls.set(event.toolCallId, { name: event.toolName, inputText: '' })
        return []
      case 'tool-call-delta': {
        const call = pendingToolCalls.get(event.toolCallId)
        if (call !== undefined) call.inputText += event.delta
        return []
      }
      case 'tool-call-end': {
        const call = pendingToolCalls.get(event.toolCallId)
        pendingToolCalls.delete(event.toolCallId)
        const name = event.toolName ?? call?.name ?? 'tool'
        const args = toolArguments(event.input, event.inputText ?? call?.inputText ?? '')
        return [frame([signatures.sign({ functionCall: { name, args } }, event.toolCallId)])]
      }
      case 'usage':
        usage = { ...usage, ...event.usage }
        return []
      case 'message-end': {
        finished = true
        if (event.usage !== undefined) usage = { ...usage, ...event.usage }
        // Authoritative final content that was never streamed rides on the last chunk.
        const text = !streamedText && event.content ? event.content : ''
        const signature = signatures.final()
        const part: GeminiPart = signature === undefined ? { text } : { text, thoughtSignature: signature }
        const finishMessage = event.metadata?.finishMessage
        return [
          frame([part], finishReasonOf(event), typeof finishMessage === 'string' ? finishMessage : undefined),
        ]
      }
      case 'message-error':
        // Gemini reports a failure after streaming started as a Google error object.
        finished = true
        return [errorBodyOf(event.error)]
      case 'message-abort':
      case 'message-interrupt':
        // The body just ends; the decoder reports the missing finishReason.
        finished = true
        return []
      default:
        // Block starts, text ends, tool results, sources, data and steps have no Gemini wire form.
        return []
    }
  }
}

function createGeminiEncoder(options?: EncoderOptions): ProtocolEncoder {
  const encodeChunks = createChunkEncoder(options)
  return {
    encode: (event: ChatEvent): Frame[] =>
      // A failure after streaming started arrives as a bare, pretty-printed Google error body
      // appended to the SSE stream (no `data:`), which is what `@google/genai` detects.
      event.type === 'message-error'
        ? encodeChunks(event).map((chunk) => ({ data: JSON.stringify(chunk, null, 2), raw: true }))
        : encodeChunks(event).map((chunk) => ({ data: JSON.stringify(chunk) })),
    end: () => [],
  }
}

/**
 * The encode direction of the Gemini protocol: the SSE chunks `streamGenerateContent?alt=sse`
 * sends, the non-streaming `generateContent` body, and Google's error body
 * (`{"error": {"code": 429, "message": "…", "status": "RESOURCE_EXHAUSTED"}}`).
 *
 * @example
 * ```ts
 * import { geminiCodec } from '@sluice/core/encoders'
 * geminiCodec.encodeError?.(429, 'Resource has been exhausted (e.g. check quota).')
 * // → { error: { code: 429, message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED' } }
 * ```
 */
export const geminiCodec: ProtocolCodec = {
  id: 'gemini',
  framing: 'sse',
  createEncoder: createGeminiEncoder,
  encodeResponse(events: readonly ChatEvent[], options?: EncoderOptions): unknown {
    const encodeChunks = createChunkEncoder(options)
    const parts: GeminiPart[] = []
    let last: GeminiChunk | undefined
    for (const event of events) {
      for (const chunk of encodeChunks(event)) {
        if ('error' in chunk) return chunk
        last = chunk
        const candidate = chunk.candidates[0]!
        for (const part of candidate.content.parts) {
          const previous = parts[parts.length - 1]
          // The body has whole parts: streamed pieces of the same text join, and the empty
          // closing part of a stream disappears unless it carries a signature.
          if ('text' in part && part.thoughtSignature === undefined) {
            if (part.text === '') continue
            if (previous !== undefined && 'text' in previous && previous.thought === part.thought) {
              previous.text += part.text
              continue
            }
          }
          parts.push({ ...part })
        }
      }
    }
    const finishReason = last?.candidates[0]?.finishReason ?? 'STOP'
    const finishMessage = last?.candidates[0]?.finishMessage
    return chunkWriter(options)(parts, last?.usageMetadata, finishReason, finishMessage)
  },
  encodeError(status: number, message: string, options?: { code?: string }): unknown {
    return errorBody(status, message, options?.code)
  },
}
