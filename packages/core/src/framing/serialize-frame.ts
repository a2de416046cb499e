/**
 * Frames back to the bytes a server sends, for mocks and encoders.
 *
 * @module
 */
import type { Frame, Framing } from '../protocol.ts'

/**
 * Turns one frame into the text a server sends for it in the given framing.
 *
 * - `sse`: an optional `event:` line, an optional `id:` line, one `data:` line per line of
 *   `data` (so multi-line data survives: WHATWG joins `data` lines with `\n`), then the blank
 *   line that dispatches the event.
 * - `ndjson`: the data and a newline.
 * - `frames` and `text`: the data as is (one frame is one message or chunk).
 *
 * @example
 * ```ts
 * serializeFrame({ event: 'ping', data: '{}' }, 'sse') // 'event: ping\ndata: {}\n\n'
 * serializeFrame({ data: '{"a":1}' }, 'ndjson') // '{"a":1}\n'
 * ```
 */
export function serializeFrame(frame: Frame, framing: Framing): string {
  switch (framing) {
    case 'sse': {
      // A raw frame is not SSE: written as is (Gemini's bare JSON error body after its events).
      if (frame.raw) return frame.data.endsWith('\n') ? frame.data : `${frame.data}\n`
      let text = ''
      if (frame.event !== undefined) text += `event: ${frame.event}\n`
      if (frame.id !== undefined) text += `id: ${frame.id}\n`
      // Split on every line terminator the SSE spec recognises, so a CR inside the data
      // cannot end a line early on the reading side and lose the rest.
      for (const line of frame.data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`
      return `${text}\n`
    }
    case 'ndjson':
      return `${frame.data}\n`
    case 'frames':
    case 'text':
      return frame.data
    default: {
      const unknownFraming: never = framing
      throw new TypeError(
        `Cannot serialize a frame: unknown framing "${String(unknownFraming)}". Use "sse", "ndjson", "frames" or "text".`,
      )
    }
  }
}

/**
 * Turns a list of frames into the text a server sends for them, in order.
 *
 * @example
 * ```ts
 * serializeFrames([{ data: 'a' }, { data: '[DONE]' }], 'sse') // 'data: a\n\ndata: [DONE]\n\n'
 * ```
 */
export function serializeFrames(frames: readonly Frame[], framing: Framing): string {
  let text = ''
  for (const frame of frames) text += serializeFrame(frame, framing)
  return text
}
