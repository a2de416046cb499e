import type { HighlightedToken } from '../markdown/markdown-options.ts'

/** What {@link matchHighlightedLines} found: the highlighted lines to show, then plain text. */
export interface HighlightedLinesMatch {
  /** How many leading lines of the highlighter's result are lines of the current code. */
  readonly lineCount: number
  /** The rest of the code after those lines (starts with `'\n'` when `lineCount > 0`), shown as text. */
  readonly rest: string
}

/**
 * The text of each line of a result, computed once per result: a streaming block is matched
 * against the same result on every chunk until the next result arrives.
 */
const lineTextsCache = new WeakMap<readonly (readonly HighlightedToken[])[], string[]>()

function lineTexts(lines: readonly (readonly HighlightedToken[])[]): string[] {
  let texts = lineTextsCache.get(lines)
  if (texts === undefined) {
    texts = lines.map((line) => {
      let text = ''
      for (const token of line) text += token.content
      return text
    })
    lineTextsCache.set(lines, texts)
  }
  return texts
}

/**
 * How much of a highlighter's result still describes `code`. A result may be for an older text of
 * the block (the lines that were complete when it was asked for, or a line the closing fence took
 * back), so it is never trusted as a whole: its lines count only while each one's text equals the
 * code's next line. Showing `lineCount` lines, each followed by `'\n'` except the last, then `rest`,
 * gives exactly `code`, whatever the highlighter returned, so stale or wrong output can change the
 * colours but never the text a user sees or copies.
 *
 * @example
 * ```ts
 * const lines = [[{ content: 'a', className: 'hljs-keyword' }], [{ content: 'b' }]]
 * matchHighlightedLines(lines, 'a\nb\nc') // { lineCount: 2, rest: '\nc' }
 * matchHighlightedLines(lines, 'a\nx') // { lineCount: 1, rest: '\nx' }
 * ```
 */
export function matchHighlightedLines(
  lines: readonly (readonly HighlightedToken[])[],
  code: string,
): HighlightedLinesMatch {
  let lineCount = 0
  let end = 0
  for (const text of lineTexts(lines)) {
    // Each line after the first starts after the code's line break at `end`.
    const start = lineCount === 0 ? 0 : end + 1
    if (lineCount > 0 && code.charCodeAt(end) !== 10) break
    if (!code.startsWith(text, start)) break
    const lineEnd = start + text.length
    // The line must end where the code's line ends, not inside a longer line.
    if (lineEnd !== code.length && code.charCodeAt(lineEnd) !== 10) break
    lineCount++
    end = lineEnd
  }
  return { lineCount, rest: code.slice(end) }
}
