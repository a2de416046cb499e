/**
 * Vercel AI SDK UI message stream (v1) → {@link ChatEvent}s.
 *
 * The wire is SSE with one `data: {json}` per chunk and no `event:` lines, ended by
 * `data: [DONE]` (response header `x-vercel-ai-ui-message-stream: v1`). The chunk schema is the
 * SDK's `uiMessageChunkSchema` (vercel/ai `ui-message-stream/ui-message-chunks.ts`).
 *
 * Mapping choices, where the two models differ:
 * - `finish` is remembered and the message ends at `[DONE]` (or at the end of the body), so
 *   chunks a merged stream sends after an inner `finish` are still applied, as the SDK does.
 * - A `text-delta`, `text-end`, `reasoning-delta`, `reasoning-end` or `tool-input-delta` whose
 *   id was never started is an error, as in the SDK's own `processUIMessageStream`.
 * - Text and reasoning ids are scoped to a step (the SDK forgets them at `finish-step`);
 *   providers reuse them across steps (Anthropic's are block indexes "0", "1", …), so an id
 *   started again gets a suffix (`0~2`) and the second step's text becomes its own part.
 * - An Anthropic signature arrives as an empty `reasoning-delta` with
 *   `providerMetadata.anthropic.signature`; it is kept and put on the `reasoning-end`.
 * - `tool-output-denied` becomes a tool error; `tool-approval-request` and `source-document`
 *   (which has no URL) become data parts named after the chunk type; transient `data-*` chunks
 *   are never part of the message (SDK semantics) and are dropped; `reset-step`, `custom`,
 *   `reasoning-file` and `tool-approval-response` are no-ops.
 * - Usage comes from message metadata (`usage` or `totalUsage`, see `metadata-usage.ts`).
 * - An `error` chunk ends the message with status `error`; the `finish-step` / `finish` the SDK
 *   sends after it are ignored.
 *
 * @example
 * ```ts
 * import { aiSdkProtocol } from '@sluice/core'
 * const decoder = aiSdkProtocol.createDecoder({ messageId: 'm1' })
 * decoder.decode({ data: '{"type":"start"}' }) // [{ type: 'message-start', messageId: 'm1', role: 'assistant' }]
 * decoder.decode({ data: '{"type":"text-start","id":"t"}' }) // [{ type: 'text-start', … }]
 * ```
 * @module
 */
import type { ChatEvent } from '../../events.ts'
import type { FinishReason, MessageError, Usage } from '../../message.ts'
import type { DecoderOptions, Frame, Protocol, ProtocolDecoder } from '../../protocol.ts'
import { isRecord, stringField } from '../json-frame.ts'
import {
  createJsonFrameDecoder,
  createMessageEmitter,
  type MessageEmitter,
  type MessageEndFields,
  mergeWireObjects,
  stringifyWireValue,
} from '../shared/index.ts'
import { splitMetadataUsage } from './metadata-usage.ts'

/** The message id used when neither the caller nor the `start` chunk gives one. */
export const aiSdkDefaultMessageId = 'ai-sdk-message'

const finishReasons: ReadonlySet<string> = new Set<FinishReason>([
  'stop',
  'length',
  'tool-calls',
  'content-filter',
  'error',
  'other',
])

/** A block (text or reasoning) that is open on the wire. */
interface OpenBlock {
  /** The part id Sluice uses (the wire id, suffixed when the wire reuses it). */
  id: string
  signature?: string
}

/** What the `finish` chunk said, applied when the message ends. */
interface FinishInfo {
  finishReason?: string
  usage?: Usage
}

/** How many data parts are held back waiting for the `start` chunk's message id. */
const maxHeldEvents = 256

/** Per-response state of the AI SDK decoder. */
class AiSdkDecoderState {
  readonly message: MessageEmitter
  private finish: FinishInfo | undefined
  /** The message metadata so far, merged deeply as the SDK merges it. */
  private metadata: Record<string, unknown> | undefined
  /**
   * Data parts that came before `start`, when the caller gave no message id: held so that the
   * message gets the server's `messageId` from `start`, as the SDK's message does.
   */
  private held: ChatEvent[] = []
  private readonly openText = new Map<string, OpenBlock>()
  private readonly openReasoning = new Map<string, OpenBlock>()
  /** How many times each wire id was started, per kind, to make reused ids unique. */
  private readonly textStarts = new Map<string, number>()
  private readonly reasoningStarts = new Map<string, number>()
  /** Tool calls this response started, and whether input text was streamed for them. */
  private readonly toolCalls = new Map<string, { streamed: boolean }>()
  private readonly events: MessageEmitter

  constructor(private readonly options: DecoderOptions | undefined) {
    this.message = createMessageEmitter({
      messageId: options?.messageId,
      fallbackMessageId: aiSdkDefaultMessageId,
    })
    this.events = this.message
  }

  /** `[DONE]` ends the message. */
  done(): void {
    this.endMessage()
  }

  value(chunk: unknown): void {
    if (!isRecord(chunk)) return
    const type = stringField(chunk.type)
    if (type === undefined) return
    this.apply(type, chunk)
  }

  end(cutOff: boolean): void {
    if (this.finish !== undefined) {
      // `finish` came; only the `[DONE]` trailer is missing. The SDK itself never needs it.
      this.endMessage()
      return
    }
    const messageId = this.ensureStarted()
    this.message.interrupt(
      `The ai-sdk stream for message "${messageId}" ended ${cutOff ? 'in the middle of an event ' : ''}before its "finish" chunk and "data: [DONE]", so the answer is incomplete. The connection was probably lost or the server stopped; retry the request.`,
    )
  }

  /** Merge a metadata piece and return the whole metadata (the reducer merges shallowly). */
  private mergeMetadata(metadata: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    if (metadata === undefined) return undefined
    this.metadata = mergeWireObjects(this.metadata, metadata)
    return this.metadata
  }

  private apply(type: string, chunk: Record<string, unknown>): void {
    switch (type) {
      case 'start': {
        const split = splitMetadataUsage(chunk.messageMetadata)
        const metadata = this.mergeMetadata(split.metadata)
        this.message.useWireId(stringField(chunk.messageId))
        if (!this.message.isStarted) {
          this.message.start(metadata)
          this.releaseHeld()
        } else if (metadata !== undefined) {
          this.events.push({ type: 'metadata', messageId: this.message.messageId, metadata })
        }
        if (split.usage !== undefined)
          this.events.push({ type: 'usage', messageId: this.message.messageId, usage: split.usage })
        return
      }
      case 'finish': {
        const { usage, metadata } = splitMetadataUsage(chunk.messageMetadata)
        const finish: FinishInfo = { ...this.finish }
        const finishReason = stringField(chunk.finishReason)
        if (finishReason !== undefined) finish.finishReason = finishReason
        if (usage !== undefined) finish.usage = { ...finish.usage, ...usage }
        this.mergeMetadata(metadata)
        this.finish = finish
        this.ensureStarted()
        return
      }
      case 'message-metadata': {
        const messageId = this.ensureStarted()
        const split = splitMetadataUsage(chunk.messageMetadata)
        const usage = split.usage
        const metadata = this.mergeMetadata(split.metadata)
        if (metadata !== undefined) this.events.push({ type: 'metadata', messageId, metadata })
        if (usage !== undefined) this.events.push({ type: 'usage', messageId, usage })
        return
      }
      case 'error': {
        const errorText = stringField(chunk.errorText)
        this.fail({
          message:
            errorText === undefined || errorText === ''
              ? 'The ai-sdk stream reported an error without a message.'
              : errorText,
        })
        return
      }
      case 'abort':
        this.ensureStarted()
        this.message.abort()
        return
      case 'start-step':
        this.events.push({ type: 'step-start', messageId: this.ensureStarted() })
        return
      case 'finish-step':
        this.events.push({ type: 'step-end', messageId: this.ensureStarted() })
        // The SDK forgets the step's open blocks here; a later delta for them is an error.
        this.openText.clear()
        this.openReasoning.clear()
        return
      case 'text-start':
      case 'reasoning-start':
        this.startBlock(type === 'text-start' ? 'text' : 'reasoning', chunk)
        return
      case 'text-delta':
      case 'reasoning-delta':
        this.blockDelta(type === 'text-delta' ? 'text' : 'reasoning', chunk)
        return
      case 'text-end':
      case 'reasoning-end':
        this.endBlock(type === 'text-end' ? 'text' : 'reasoning', chunk)
        return
      case 'tool-input-start': {
        const toolCallId = stringField(chunk.toolCallId)
        if (toolCallId === undefined) return
        const messageId = this.ensureStarted()
        this.toolCalls.set(toolCallId, { streamed: false })
        const event: ChatEvent = {
          type: 'tool-call-start',
          messageId,
          toolCallId,
          toolName: stringField(chunk.toolName) ?? '',
        }
        if (typeof chunk.providerExecuted === 'boolean') event.providerExecuted = chunk.providerExecuted
        this.events.push(event)
        return
      }
      case 'tool-input-delta': {
        const toolCallId = stringField(chunk.toolCallId)
        if (toolCallId === undefined) return
        const call = this.toolCalls.get(toolCallId)
        if (call === undefined) {
          this.missingStart('tool-input-delta', 'tool call', toolCallId, 'tool-input-start')
          return
        }
        const delta = stringField(chunk.inputTextDelta) ?? ''
        if (delta === '') return
        call.streamed = true
        this.events.push({ type: 'tool-call-delta', messageId: this.ensureStarted(), toolCallId, delta })
        return
      }
      case 'tool-input-available':
      case 'tool-input-error': {
        const toolCallId = stringField(chunk.toolCallId)
        if (toolCallId === undefined) return
        const messageId = this.ensureStarted()
        const event: ChatEvent = { type: 'tool-call-end', messageId, toolCallId, input: chunk.input }
        const toolName = stringField(chunk.toolName)
        if (toolName !== undefined) event.toolName = toolName
        if (typeof chunk.providerExecuted === 'boolean') event.providerExecuted = chunk.providerExecuted
        // Input sent whole (no deltas): keep its text too, so the part shows what was called.
        if (this.toolCalls.get(toolCallId)?.streamed !== true && chunk.input !== undefined) {
          event.inputText = stringifyWireValue(
            chunk.input,
            'ai-sdk',
            `the input of tool call "${toolCallId}"`,
          )
        }
        this.events.push(event)
        if (type === 'tool-input-error') {
          const errorText =
            stringField(chunk.errorText) ?? `The input of tool call "${toolCallId}" is invalid.`
          this.events.push({ type: 'tool-error', messageId, toolCallId, errorText })
        }
        return
      }
      case 'tool-output-available': {
        const toolCallId = stringField(chunk.toolCallId)
        if (toolCallId === undefined) return
        // An unknown id is not an error: with client-side tools and approvals the SDK continues
        // the previous response's message, so the call may have started in an earlier request.
        this.events.push({
          type: 'tool-result',
          messageId: this.ensureStarted(),
          toolCallId,
          output: chunk.output,
        })
        return
      }
      case 'tool-output-error':
      case 'tool-output-denied': {
        const toolCallId = stringField(chunk.toolCallId)
        if (toolCallId === undefined) return
        const errorText =
          type === 'tool-output-denied'
            ? `The user denied tool call "${toolCallId}", so it did not run.`
            : (stringField(chunk.errorText) ?? `Tool call "${toolCallId}" failed without an error message.`)
        this.events.push({ type: 'tool-error', messageId: this.ensureStarted(), toolCallId, errorText })
        return
      }
      case 'tool-approval-request': {
        const approvalId = stringField(chunk.approvalId)
        const toolCallId = stringField(chunk.toolCallId)
        if (approvalId === undefined || toolCallId === undefined) return
        this.events.push({
          type: 'data',
          messageId: this.ensureStarted(),
          name: 'tool-approval-request',
          id: approvalId,
          data: { approvalId, toolCallId },
        })
        return
      }
      case 'source-url': {
        const url = stringField(chunk.url)
        if (url === undefined) return
        const event: ChatEvent = { type: 'source', messageId: this.ensureStarted(), url }
        const title = stringField(chunk.title)
        const sourceId = stringField(chunk.sourceId)
        if (title !== undefined) event.title = title
        if (sourceId !== undefined) event.sourceId = sourceId
        this.events.push(event)
        return
      }
      case 'source-document': {
        const sourceId = stringField(chunk.sourceId)
        const data: Record<string, unknown> = { sourceId, mediaType: chunk.mediaType, title: chunk.title }
        if (chunk.filename !== undefined) data.filename = chunk.filename
        const event: ChatEvent = {
          type: 'data',
          messageId: this.ensureStarted(),
          name: 'source-document',
          data,
        }
        if (sourceId !== undefined) event.id = sourceId
        this.events.push(event)
        return
      }
      case 'file': {
        const url = stringField(chunk.url)
        if (url === undefined) return
        const mediaType = stringField(chunk.mediaType) ?? 'application/octet-stream'
        this.events.push({ type: 'file', messageId: this.ensureStarted(), url, mediaType })
        return
      }
      default: {
        if (type.startsWith('data-') && type.length > 5) {
          // Transient data is delivered to `onData` only and never stored in the message.
          if (chunk.transient === true) return
          const event: ChatEvent = {
            type: 'data',
            messageId: this.message.messageId,
            name: type.slice(5),
            data: chunk.data,
          }
          const id = stringField(chunk.id)
          if (id !== undefined) event.id = id
          // Before `start`, without the caller's id, the message id is not known yet.
          if (
            !this.message.isStarted &&
            this.options?.messageId === undefined &&
            this.held.length < maxHeldEvents
          ) {
            this.held.push(event)
            return
          }
          this.ensureStarted()
          this.events.push(event)
        }
        // Anything else (`custom`, `reset-step`, `reasoning-file`, chunk types added later) is a no-op.
        return
      }
    }
  }

  private startBlock(kind: 'text' | 'reasoning', chunk: Record<string, unknown>): void {
    const wireId = stringField(chunk.id)
    if (wireId === undefined) return
    const messageId = this.ensureStarted()
    const starts = kind === 'text' ? this.textStarts : this.reasoningStarts
    const count = (starts.get(wireId) ?? 0) + 1
    starts.set(wireId, count)
    const id = count === 1 ? wireId : `${wireId}~${count}`
    const block: OpenBlock = { id }
    const signature = anthropicSignature(chunk)
    if (signature !== undefined) block.signature = signature
    ;(kind === 'text' ? this.openText : this.openReasoning).set(wireId, block)
    this.events.push({ type: kind === 'text' ? 'text-start' : 'reasoning-start', messageId, id })
  }

  private blockDelta(kind: 'text' | 'reasoning', chunk: Record<string, unknown>): void {
    const wireId = stringField(chunk.id)
    if (wireId === undefined) return
    const block = (kind === 'text' ? this.openText : this.openReasoning).get(wireId)
    if (block === undefined) {
      this.missingStart(`${kind}-delta`, `${kind} part`, wireId, `${kind}-start`)
      return
    }
    const signature = anthropicSignature(chunk)
    if (signature !== undefined) block.signature = signature
    const delta = stringField(chunk.delta) ?? ''
    if (delta === '') return
    const messageId = this.ensureStarted()
    this.events.push({
      type: kind === 'text' ? 'text-delta' : 'reasoning-delta',
      messageId,
      id: block.id,
      delta,
    })
  }

  private endBlock(kind: 'text' | 'reasoning', chunk: Record<string, unknown>): void {
    const wireId = stringField(chunk.id)
    if (wireId === undefined) return
    const blocks = kind === 'text' ? this.openText : this.openReasoning
    const block = blocks.get(wireId)
    if (block === undefined) {
      this.missingStart(`${kind}-end`, `${kind} part`, wireId, `${kind}-start`)
      return
    }
    blocks.delete(wireId)
    const messageId = this.ensureStarted()
    if (kind === 'text') {
      this.events.push({ type: 'text-end', messageId, id: block.id })
      return
    }
    const signature = anthropicSignature(chunk) ?? block.signature
    this.events.push(
      signature === undefined
        ? { type: 'reasoning-end', messageId, id: block.id }
        : { type: 'reasoning-end', messageId, id: block.id, signature },
    )
  }

  /** The SDK's rule: content for an id that was never started is a broken stream. */
  private missingStart(chunkType: string, what: string, id: string, startType: string): void {
    this.fail({
      code: 'invalid-chunk-order',
      message: `Received ${chunkType} for missing ${what} with ID "${id}". Ensure a "${startType}" chunk is sent before any "${chunkType}" chunks.`,
    })
  }

  private fail(error: MessageError): void {
    this.ensureStarted()
    this.message.fail(error)
  }

  private endMessage(): void {
    this.ensureStarted()
    const event: MessageEndFields = {}
    const finish = this.finish
    if (finish?.finishReason !== undefined) {
      // The SDK's words are already Sluice's; only an unknown word is kept as the raw reason.
      if (finishReasons.has(finish.finishReason)) {
        event.finishReason = finish.finishReason as FinishReason
      } else {
        event.finishReason = 'other'
        event.rawFinishReason = finish.finishReason
      }
    }
    if (finish?.usage !== undefined) event.usage = finish.usage
    if (this.metadata !== undefined) event.metadata = this.metadata
    this.message.end(event)
  }

  /** The message id, emitting `message-start` (and any held data parts) first when the stream skipped the `start` chunk. */
  private ensureStarted(): string {
    if (!this.message.isStarted) {
      this.message.start()
      this.releaseHeld()
    }
    return this.message.messageId
  }

  /** The data parts held for the message id, now that it is known. */
  private releaseHeld(): void {
    const held = this.held
    this.held = []
    for (const event of held) this.message.push({ ...event, messageId: this.message.messageId })
  }
}

/** `providerMetadata.anthropic.signature`, the way the SDK forwards Anthropic thinking signatures. */
function anthropicSignature(chunk: Record<string, unknown>): string | undefined {
  const providerMetadata = chunk.providerMetadata
  if (!isRecord(providerMetadata) || !isRecord(providerMetadata.anthropic)) return undefined
  return stringField(providerMetadata.anthropic.signature)
}

/**
 * The body of an AI SDK error response. `useChat`'s transport shows the body text of a non-OK
 * response as the error, so a plain-text body is the message; a JSON `{error}` or `{message}`
 * body (what most route handlers return) is read too.
 *
 * @example
 * ```ts
 * errorFromAiSdkResponse('Rate limit exceeded', 429) // { message: 'Rate limit exceeded', status: 429 }
 * ```
 */
export function errorFromAiSdkResponse(body: unknown, status: number): MessageError | undefined {
  if (typeof body === 'string') return body.trim() === '' ? undefined : { message: body, status }
  if (!isRecord(body)) return undefined
  const error = body.error
  const message =
    stringField(error) ??
    (isRecord(error) ? stringField(error.message) : undefined) ??
    stringField(body.message)
  if (message === undefined) return undefined
  const code = isRecord(error) ? (stringField(error.code) ?? stringField(error.type)) : stringField(body.code)
  return code === undefined ? { message, status } : { message, code, status }
}

/**
 * A decoder for one AI SDK UI message stream response.
 *
 * @example
 * ```ts
 * const decoder = createAiSdkDecoder({ messageId: 'm1' })
 * decoder.decode({ data: '[DONE]' })
 * ```
 */
export function createAiSdkDecoder(options?: DecoderOptions): ProtocolDecoder {
  const state = new AiSdkDecoderState(options)
  return createJsonFrameDecoder(state.message, 'ai-sdk', {
    literal(frame: Frame) {
      if (frame.data.trim() !== '[DONE]') return false
      state.done()
      return true
    },
    value: (value) => state.value(value),
    endOfSource: (cutOff) => state.end(cutOff),
  })
}

/**
 * The Vercel AI SDK UI message stream protocol (v1), as `toUIMessageStreamResponse()` and
 * `createUIMessageStreamResponse()` send it. Framing: SSE.
 *
 * @example
 * ```ts
 * import { collectMessage, aiSdkProtocol } from '@sluice/core'
 * const message = await collectMessage(response.body!, aiSdkProtocol)
 * ```
 */
export const aiSdkProtocol: Protocol = {
  id: 'ai-sdk',
  framing: 'sse',
  createDecoder: createAiSdkDecoder,
  decodeError: errorFromAiSdkResponse,
}
