/**
 * What a wire protocol is: a default framing and a decoder from frames to {@link ChatEvent}s.
 * Encoders (events → frames, for mocks) live on the `@sluice/core/encoders` subpath so apps
 * never ship them.
 *
 * @example
 * ```ts
 * import { protocols } from '@sluice/core'
 * const decoder = protocols['openai-chat'].createDecoder({ messageId: 'm1' })
 * decoder.decode({ data: '{"choices":[{"index":0,"delta":{"content":"Hi"}}]}' })
 * ```
 * @module
 */
import type { ChatEvent } from './events.ts'
import type { MessageError } from './message.ts'

/** The wire formats Sluice speaks. */
export type ProtocolId =
  | 'openai-chat'
  | 'openai-responses'
  | 'anthropic'
  | 'ollama'
  | 'gemini'
  | 'ai-sdk'
  | 'ag-ui'
  | 'stream-chunk'
  | 'stream-delta'
  | 'agent-events'
  | 'message-events'
  | 'text'

/**
 * How bytes are cut into frames: `sse` (WHATWG server-sent events), `ndjson` (one JSON value
 * a line), `frames` (every item of the source is one whole message, as over a WebSocket) and
 * `text` (every decoded chunk is a frame).
 */
export type Framing = 'sse' | 'ndjson' | 'frames' | 'text'

/** One unit of the wire, after framing. */
export interface Frame {
  /** The payload: an SSE event's joined data lines, an NDJSON line, a WebSocket message, a text chunk. */
  data: string
  /** SSE `event:` field, when present. */
  event?: string
  /** SSE `id:` field, when present. */
  id?: string
  /**
   * True for lines of an SSE body that are not SSE at all, joined: Gemini appends a bare
   * (pretty-printed) JSON error body to an SSE stream when it fails mid-stream. Only protocols
   * with `readsRawLines` receive such frames; serializing one writes its data as is.
   */
  raw?: boolean
}

/** Options every decoder takes. */
export interface DecoderOptions {
  /**
   * The id to use for the message when the wire names none (and the id the controller's
   * placeholder has). Decoders that read an id from the wire may use it instead; the
   * controller maps whatever the decoder emits onto its placeholder.
   */
  messageId?: string
}

/** Turns frames into events. May hold the state the wire demands (e.g. tool-call index → id). */
export interface ProtocolDecoder {
  /** Decode one frame. Unknown event types and fields are no-ops; malformed JSON becomes a `message-error`. */
  decode(frame: Frame): ChatEvent[]
  /**
   * The source ended. Emits what the end means on this wire: nothing when the terminal event
   * came, a `message-interrupt` when the stream was cut short.
   */
  end(): ChatEvent[]
}

/** A wire protocol. */
export interface Protocol {
  readonly id: ProtocolId
  /** The framing this protocol comes in unless the caller says otherwise. */
  readonly framing: Framing
  /**
   * SSE only: the provider may append lines that are not SSE (a bare JSON error body); deliver
   * them as one `raw` frame instead of ignoring them as WHATWG says.
   */
  readonly readsRawLines?: boolean
  /** A fresh decoder for one response. */
  createDecoder(options?: DecoderOptions): ProtocolDecoder
  /**
   * Decode a whole non-streaming response body (already parsed JSON), for servers that answer
   * with JSON instead of a stream, or `stream: false`.
   */
  decodeResponse?(body: unknown, options?: DecoderOptions): ChatEvent[]
  /** Read the provider's error out of an error response body (already parsed JSON, or text). */
  decodeError?(body: unknown, status: number): MessageError | undefined
}

/** Options every encoder takes. */
export interface EncoderOptions {
  /** The model name to echo where the provider echoes it. */
  model?: string
  /** The response or message id to send where the wire has one. */
  responseId?: string
  /** Seconds since the epoch for `created` fields; fixed so the same scenario gives the same bytes. */
  created?: number
  /** OpenAI Chat: send the usage chunk (`stream_options.include_usage`). */
  includeUsage?: boolean
  /**
   * Mocks: sign reasoning blocks that carry no signature with a deterministic placeholder, as
   * the real server always signs them (Anthropic sends a `signature_delta` before every thinking
   * block stops, and SDKs expose it). Off by default: a made-up signature is only fit for a mock.
   */
  placeholderSignatures?: boolean
}

/** Turns events into the frames the real server sends (for mocks). */
export interface ProtocolEncoder {
  encode(event: ChatEvent): Frame[]
  /** Frames the server sends after the last event (`data: [DONE]` only where the provider sends it). */
  end(): Frame[]
}

/** The encode direction of a protocol. */
export interface ProtocolCodec {
  readonly id: ProtocolId
  readonly framing: Framing
  createEncoder(options?: EncoderOptions): ProtocolEncoder
  /** The provider's non-streaming JSON body for the same events (`stream: false`). */
  encodeResponse?(events: readonly ChatEvent[], options?: EncoderOptions): unknown
  /** The provider's error body for an HTTP error with this status. */
  encodeError?(status: number, message: string, options?: { code?: string }): unknown
}
