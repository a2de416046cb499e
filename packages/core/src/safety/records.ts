/**
 * Records keyed by ids that come from the wire. A plain object literal inherits
 * `Object.prototype`, so `record['constructor']` is a function and `record['__proto__'] = x`
 * replaces the prototype instead of storing `x`. These helpers build records with no
 * prototype and read them only through own-property checks, so any string is an ordinary key.
 *
 * @example
 * ```ts
 * import { createRecord, ownValue, withEntry } from '@sluice/core'
 * const record = withEntry(createRecord<number>(), '__proto__', 1)
 * ownValue(record, '__proto__') // 1
 * ownValue(record, 'toString') // undefined
 * ```
 * @module
 */

/**
 * An empty record with no prototype.
 *
 * @example
 * ```ts
 * const counts = createRecord<number>()
 * counts.constructor // undefined: nothing is inherited
 * ```
 */
export function createRecord<Value>(): Record<string, Value> {
  return Object.create(null) as Record<string, Value>
}

/**
 * A copy of `record` with no prototype (own enumerable string keys only). Assignment into the
 * copy can never reach a setter: with no prototype, `__proto__` is an ordinary key.
 *
 * @example
 * ```ts
 * const copy = copyRecord({ a: 1 })
 * Object.getPrototypeOf(copy) // null
 * ```
 */
export function copyRecord<Value>(record: Readonly<Record<string, Value>>): Record<string, Value> {
  const copy = createRecord<Value>()
  for (const key of Object.keys(record)) copy[key] = record[key] as Value
  return copy
}

/**
 * The value stored under `key` itself, never one inherited from a prototype.
 *
 * @example
 * ```ts
 * ownValue({ a: 1 }, 'a') // 1
 * ownValue({ a: 1 }, 'hasOwnProperty') // undefined
 * ```
 */
export function ownValue<Value>(record: Readonly<Record<string, Value>>, key: string): Value | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined
}

/**
 * True when `key` is stored in `record` itself (`in` would also see inherited members).
 *
 * @example
 * ```ts
 * hasOwnKey({}, 'toString') // false
 * ```
 */
export function hasOwnKey(record: Readonly<Record<string, unknown>>, key: string): boolean {
  return Object.hasOwn(record, key)
}

/**
 * A prototype-free copy of `record` with `key` set to `value` (the original is not changed).
 *
 * @example
 * ```ts
 * const next = withEntry(createRecord<string>(), 'constructor', 'an ordinary id')
 * next.constructor // 'an ordinary id'
 * ```
 */
export function withEntry<Value>(
  record: Readonly<Record<string, Value>>,
  key: string,
  value: Value,
): Record<string, Value> {
  const copy = copyRecord(record)
  copy[key] = value
  return copy
}
