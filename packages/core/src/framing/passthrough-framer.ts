import type { Framer } from './framer.ts'

/**
 * The framer for `frames` (every source item is one whole message, as over a WebSocket) and
 * `text` (every decoded chunk is a frame). It buffers nothing. Empty pieces make no frame: an
 * empty WebSocket message is a keep-alive, and an empty decoded chunk is half a character.
 *
 * @example
 * ```ts
 * const framer = createPassthroughFramer()
 * framer.push('{"type":"TextDelta","text":"Hi"}') // [{ data: '{"type":"TextDelta","text":"Hi"}' }]
 * ```
 */
export function createPassthroughFramer(): Framer {
  return {
    push(text) {
      return text === '' ? [] : [{ data: text }]
    },
    end() {
      return []
    },
  }
}
