import type { TokenizerExtension, Tokens } from 'marked'

/** A formula found in the text: its TeX source and whether it is display (block) math. */
export interface MathToken extends Tokens.Generic {
  type: 'math'
  raw: string
  /** The TeX between the delimiters, untouched by markdown (no escapes, no emphasis). */
  text: string
  /** `true` for `$$…$$` and `\[…\]`, `false` for `$…$` and `\(…\)`. */
  display: boolean
}

const DIGIT = /[0-9]/
const SPACE = /\s/

/** The end of `$$…$$` from `start` (the opening), or -1: the first `$$` after a non-empty body. */
function findDoubleDollarEnd(source: string): number {
  const close = source.indexOf('$$', 2)
  if (close === -1 || source.slice(2, close).trim() === '') return -1
  return close + 2
}

/**
 * The end of `$…$`, or -1, by pandoc's rule (so "$5 and $10" stays text): the opening `$` is
 * followed by a non-space, the closing `$` is preceded by a non-space and not followed by a
 * digit. `\$` inside does not close. The formula never spans a blank line (a paragraph cannot)
 * nor a backtick (code spans win).
 */
function findDollarEnd(source: string): number {
  const first = source[1]
  if (first === undefined || first === '$' || SPACE.test(first)) return -1
  for (let index = 1; index < source.length; index++) {
    const char = source[index]
    if (char === '\\') {
      index++
      continue
    }
    if (char === '\n' && source[index + 1] === '\n') return -1
    // A code span wins over a formula around it: `$a$` in backticks is code.
    if (char === '`') return -1
    if (char !== '$') continue
    const before = source[index - 1] ?? ''
    const after = source[index + 1] ?? ''
    if (index > 1 && !SPACE.test(before) && !DIGIT.test(after)) return index + 1
  }
  return -1
}

/** The end of `\(…\)` or `\[…\]`, or -1. */
function findBracketEnd(source: string, close: string): number {
  const end = source.indexOf(close, 2)
  if (end === -1 || source.slice(2, end).trim() === '') return -1
  return end + 2
}

/**
 * Where a formula may start in `source` (marked stops plain text there), or -1.
 *
 * @example
 * startOfMath('so $x$') // 3
 */
export function startOfMath(source: string): number {
  const dollar = source.indexOf('$')
  const bracket = source.search(/\\[([]/)
  if (dollar === -1) return bracket
  if (bracket === -1) return dollar
  return Math.min(dollar, bracket)
}

/**
 * Reads the formula at the start of `source`, if one starts and ends there.
 *
 * @example
 * readMath('$x^2$ is') // { type: 'math', raw: '$x^2$', text: 'x^2', display: false }
 * readMath('$5 and $10') // undefined (currency)
 */
export function readMath(source: string): MathToken | undefined {
  let end = -1
  let open = 0
  let display = false
  if (source.startsWith('$$')) {
    end = findDoubleDollarEnd(source)
    open = 2
    display = true
  } else if (source.startsWith('$')) {
    end = findDollarEnd(source)
    open = 1
  } else if (source.startsWith('\\(')) {
    end = findBracketEnd(source, '\\)')
    open = 2
  } else if (source.startsWith('\\[')) {
    end = findBracketEnd(source, '\\]')
    open = 2
    display = true
  }
  if (end === -1) return undefined
  const raw = source.slice(0, end)
  return { type: 'math', raw, text: raw.slice(open, raw.length - open).trim(), display }
}

/**
 * The marked extension for formulas in inline text: `$…$`, `$$…$$`, `\(…\)` and `\[…\]` become
 * `math` tokens (see {@link MathToken}). Display math written on its own lines
 * (`$$\n…\n$$`) is inline text of its paragraph, so it needs no block rule.
 */
export const mathExtension: TokenizerExtension = {
  name: 'math',
  level: 'inline',
  start: startOfMath,
  tokenizer: (source) => readMath(source),
}

/**
 * While streaming, the `$` characters at the very end of the text are held back: a closing `$`
 * is only a closing one if no digit follows (`$x$5` is text), and `$$` may still be the start
 * of a closing `$$`. Rendering it as math and then as text again would flicker.
 *
 * @example
 * holdBackTrailingDollars('the area is $\\pi r^2$') // 'the area is $\\pi r^2'
 */
export function holdBackTrailingDollars(text: string): string {
  let end = text.length
  while (end > 0 && text.charCodeAt(end - 1) === 36) end--
  return end === text.length ? text : text.slice(0, end)
}
