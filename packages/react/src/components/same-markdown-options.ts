/**
 * Markdown options compared by what they say, so `markdown={{ allowedOrigins: [...] }}` written
 * inline (a new object on every render) does not defeat the memo of the rows that receive it.
 *
 * @module
 */
import type { MessageMarkdownOptions } from './message-part-view.tsx'

/**
 * Whether two markdown options say the same: `allowedOrigins` by entries, `components` by
 * entries, the rest by identity.
 *
 * @example
 * ```ts
 * sameMarkdownOptions({ allowedOrigins: ['https://a.example'] }, { allowedOrigins: ['https://a.example'] }) // true
 * ```
 */
export function sameMarkdownOptions(
  first: MessageMarkdownOptions | undefined,
  second: MessageMarkdownOptions | undefined,
): boolean {
  if (first === second) return true
  if (first === undefined || second === undefined) return false
  const keys = Object.keys(first) as (keyof MessageMarkdownOptions)[]
  if (keys.length !== Object.keys(second).length) return false
  return keys.every((key) => {
    const a = first[key]
    const b = second[key]
    if (a === b) return true
    if (key === 'allowedOrigins' || key === 'components') {
      if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
      const entriesA = Object.entries(a)
      return (
        entriesA.length === Object.keys(b).length &&
        entriesA.every(([name, value]) => (b as Record<string, unknown>)[name] === value)
      )
    }
    return false
  })
}
