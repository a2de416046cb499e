/**
 * Guards for values that came off the wire: a depth limit that never recurses, a
 * `JSON.stringify` that cannot overflow the stack, and the keys a path or patch writer refuses.
 *
 * @module
 */

/**
 * How deep a wire value (tool arguments, state, metadata) may nest. Real tool arguments stay
 * under a dozen levels; `JSON.stringify` overflows the stack somewhere past a few thousand.
 */
export const maxWireDepth = 256

/**
 * A wire value Sluice refuses to process: nested deeper than {@link maxWireDepth}, or a key that
 * would reach `Object.prototype`. The JSON frame decoder turns it into a `message-error` that
 * keeps the partial answer.
 */
export class WireValueError extends Error {
  override readonly name = 'WireValueError'
  /** `value-too-deep` or `forbidden-key`: the `code` of the message error. */
  readonly code: 'value-too-deep' | 'forbidden-key'

  constructor(code: 'value-too-deep' | 'forbidden-key', message: string) {
    super(message)
    this.code = code
  }
}

/**
 * True when `value` nests more than `limit` arrays or objects deep. Walks with an explicit stack
 * (no recursion), so it is safe on any value `JSON.parse` returned.
 *
 * @example
 * ```ts
 * wireDepthExceeds(JSON.parse('[[[1]]]'), 2) // true
 * wireDepthExceeds({ city: 'Paris' }, 2) // false
 * ```
 */
export function wireDepthExceeds(value: unknown, limit: number = maxWireDepth): boolean {
  if (typeof value !== 'object' || value === null) return false
  const stack: Array<{ value: object; depth: number }> = [{ value, depth: 1 }]
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!
    if (depth > limit) return true
    const children = Array.isArray(current) ? current : Object.values(current)
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1 })
    }
  }
  return false
}

/**
 * `JSON.stringify` for a wire value, refusing one nested deeper than {@link maxWireDepth} with a
 * {@link WireValueError} that names the protocol and what the value was, instead of the
 * `RangeError: Maximum call stack size exceeded` the plain call throws.
 *
 * @example
 * ```ts
 * stringifyWireValue({ city: 'Paris' }, 'anthropic', 'the input of tool call "toolu_1"') // '{"city":"Paris"}'
 * ```
 */
export function stringifyWireValue(value: unknown, protocolName: string, what: string): string {
  if (wireDepthExceeds(value)) throw tooDeepError(protocolName, what)
  return JSON.stringify(value) ?? ''
}

/**
 * The {@link WireValueError} for `what` (e.g. `the input of tool call "x"`) nested deeper than
 * {@link maxWireDepth}, for code that checks with {@link wireDepthExceeds} before a copy.
 *
 * @example
 * ```ts
 * if (wireDepthExceeds(args)) throw tooDeepError('Gemini', 'the arguments of function call "call_0"')
 * ```
 */
export function tooDeepError(protocolName: string, what: string): WireValueError {
  return new WireValueError(
    'value-too-deep',
    `The ${protocolName} stream sent ${what} nested more than ${maxWireDepth} levels deep; Sluice refuses such values so a hostile stream cannot exhaust the stack. Check the tool's schema or the server that produced it.`,
  )
}

/** The keys that reach an object's prototype when written with `object[key] = …`. */
const forbiddenKeys: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])

/**
 * True for `__proto__`, `constructor` and `prototype`: a path or patch writer that takes keys
 * from the wire must refuse them, or `target[key] = value` rewrites a prototype.
 *
 * @example
 * ```ts
 * isForbiddenKey('__proto__') // true
 * isForbiddenKey('city') // false
 * ```
 */
export function isForbiddenKey(key: string | number): boolean {
  return typeof key === 'string' && forbiddenKeys.has(key)
}

/** True for a plain JSON object (not an array, not null). */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Merge `overrides` into `base` deeply, as the AI SDK merges message metadata: nested objects
 * merge key by key, anything else (arrays included) replaces, `undefined` changes nothing.
 * Neither input is changed. Keys that reach a prototype ({@link isForbiddenKey}) are skipped;
 * below {@link maxWireDepth} levels the override replaces instead of merging, so the recursion
 * is bounded whatever the wire sends.
 *
 * @example
 * ```ts
 * mergeWireObjects({ model: { id: 'a', vendor: 'x' } }, { model: { id: 'b' } })
 * // { model: { id: 'b', vendor: 'x' } }
 * ```
 */
export function mergeWireObjects(
  base: Record<string, unknown> | undefined,
  overrides: Record<string, unknown> | undefined,
  depth = 0,
): Record<string, unknown> | undefined {
  if (overrides === undefined) return base
  if (base === undefined) return overrides
  const result: Record<string, unknown> = { ...base }
  for (const key of Object.keys(overrides)) {
    if (isForbiddenKey(key)) continue
    const override = overrides[key]
    if (override === undefined) continue
    const current = Object.hasOwn(base, key) ? base[key] : undefined
    result[key] =
      isPlainRecord(override) && isPlainRecord(current) && depth < maxWireDepth
        ? mergeWireObjects(current, override, depth + 1)
        : override
  }
  return result
}
