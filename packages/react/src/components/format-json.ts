import { Allow, parse } from 'partial-json'

/**
 * Tool input as far as it has arrived: the longest valid reading of partial JSON
 * (`{"city": "Par` reads as `{ city: 'Par' }`), `undefined` when nothing parses yet.
 * Callers memoize on the text so a render parses once (renders are per animation frame,
 * not per token).
 *
 * @example
 * ```ts
 * parsePartialJson('{"city": "Par') // { city: 'Par' }
 * ```
 */
export function parsePartialJson(text: string): unknown {
  if (text.trim() === '') return undefined
  try {
    return parse(text, Allow.ALL)
  } catch {
    return undefined
  }
}

/**
 * A tool input or output for display: strings as they are, everything else as indented
 * JSON; values JSON cannot express fall back to `String(value)`. The result is plain text.
 *
 * @example
 * ```ts
 * formatValue({ temperature: 21 }) // '{\n  "temperature": 21\n}'
 * formatValue('Sunny') // 'Sunny'
 * ```
 */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value
  try {
    return JSON.stringify(value, null, 2) ?? String(value)
  } catch {
    return String(value)
  }
}
