/**
 * Events → the wire events a server sends, as text, each marked with what the timing needs.
 *
 * @module
 */
import type { ChatEvent, EncoderOptions, Framing, ProtocolId } from '@sluice/core'
import { encoders, serializeFrame } from '@sluice/core/encoders'
import { tokenEventTypes } from './compile-scenario.ts'

/** One wire event (an SSE event, an NDJSON line, a WebSocket message) as the text sent. */
export interface WireFrame {
  text: string
  /** The first frame of a token event: `tokensPerSecond` delays it. */
  token: boolean
  /** Sent for the terminal event or after it (`message_stop`, `[DONE]`): a default stall stops before it. */
  terminal: boolean
}

/**
 * Encode events with the protocol's own encoder (from `@sluice/core/encoders`) and serialize
 * every frame in the given framing.
 *
 * @example
 * ```ts
 * encodeWireFrames('anthropic', events, 'sse', { model: 'claude-sonnet-4-5' })
 * // [{ text: 'event: message_start\ndata: {…}\n\n', token: false, terminal: false }, …]
 * ```
 */
export function encodeWireFrames(
  protocolId: ProtocolId,
  events: readonly ChatEvent[],
  framing: Framing,
  encoderOptions: EncoderOptions = {},
): WireFrame[] {
  const encoder = encoders[protocolId].createEncoder(encoderOptions)
  const wire: WireFrame[] = []
  let terminal = false
  for (const event of events) {
    if (event.type === 'message-end' || event.type === 'message-error') terminal = true
    encoder.encode(event).forEach((frame, index) => {
      wire.push({
        text: serializeFrame(frame, framing),
        token: index === 0 && tokenEventTypes.has(event.type),
        terminal,
      })
    })
  }
  for (const frame of encoder.end())
    wire.push({ text: serializeFrame(frame, framing), token: false, terminal: true })
  return wire
}

/**
 * A frame whose JSON is cut off, in the given framing: what a buggy proxy or a truncated
 * write produces. Decoders must turn it into a `message-error`, not throw.
 *
 * @example
 * ```ts
 * malformedWireFrame('ndjson') // '{"message":{"content":"unterminated\n'
 * ```
 */
export function malformedWireFrame(framing: Framing, eventName?: string): WireFrame {
  const broken = '{"message":{"content":"unterminated'
  // Wires that name their events (Anthropic, OpenAI Responses) get the event line too: their
  // SDKs skip a frame without one, so an unnamed broken frame would not be a fault at all.
  const eventLine = eventName === undefined ? '' : `event: ${eventName}\n`
  const text =
    framing === 'sse' ? `${eventLine}data: ${broken}\n\n` : framing === 'ndjson' ? `${broken}\n` : broken
  return { text, token: false, terminal: false }
}

/**
 * Cut a recorded body into its wire events without changing a byte: after each blank line for
 * SSE, after each newline for NDJSON. Only to place delays; decoding stays with the client.
 *
 * @example
 * ```ts
 * splitRecordedBody('data: a\n\ndata: b\n\n', 'sse') // ['data: a\n\n', 'data: b\n\n']
 * ```
 */
export function splitRecordedBody(body: string, framing: Framing): string[] {
  const pattern = framing === 'sse' ? /[\s\S]*?(?:\r\n|\r|\n)(?:\r\n|\r|\n)|[\s\S]+$/g : /[^\n]*\n|[^\n]+$/g
  if (framing !== 'sse' && framing !== 'ndjson') return body === '' ? [] : [body]
  return body.match(pattern) ?? []
}
