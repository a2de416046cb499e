import { Lexer, type Tokens } from 'marked'
import { MARKED_OPTIONS } from './lex-markdown.ts'

/** A line of only pipes, dashes, colons and spaces: a (partial) delimiter row, which repair completes. */
const DELIMITER_LIKE = /^[ \t]*[|:-][ \t|:-]*$/
/** A line that starts like a table row: a pipe after at most three spaces. */
const ROW_START = /^ {0,3}\|/

/** Whether `line`, the last line of `body`, is a body row of a table marked already reads there. */
function isRowOfShownTable(body: string, line: string): boolean {
  const tokens = new Lexer(MARKED_OPTIONS).blockTokens(body, [])
  for (let index = tokens.length - 1; index >= 0; index--) {
    const token = tokens[index]!
    if (token.type === 'space') continue
    return token.type === 'table' && (token as Tokens.Table).rows.length > 0 && token.raw.includes(line)
  }
  return false
}

/**
 * Holds back the last line of a streaming tail while it may be the header row of a table whose
 * delimiter row (`|---|---|`) has not arrived yet. Shown as text, `| a | b |` would turn into a
 * table one line later: the answer changes shape and shrinks (the "table flash"). Held back,
 * the line appears once: as the table's header when the delimiter row starts (repairMarkdown
 * completes a partial one), or as text once the next line shows it is not a table.
 *
 * Only a line that starts with `|` is held, from its first character, so a line that was shown
 * never disappears; body rows of a table already shown, and the delimiter row under a header,
 * are never held. (A table written without leading pipes, `a | b`, is not held.)
 *
 * @example
 * holdBackTableHeader('Results:\n\n| name | value |\n') // 'Results:\n\n'
 * holdBackTableHeader('| a | b |\n| --- | --- |\n| 1 |') // unchanged (a body row)
 */
export function holdBackTableHeader(tail: string): string {
  const body = tail.endsWith('\n') ? tail.slice(0, -1) : tail
  const lineStart = body.lastIndexOf('\n') + 1
  const line = body.slice(lineStart)
  if (!ROW_START.test(line)) return tail
  if (lineStart > 0 && DELIMITER_LIKE.test(line)) {
    const previous = body.slice(body.lastIndexOf('\n', lineStart - 2) + 1, lineStart - 1)
    if (previous.includes('|')) return tail
  }
  return isRowOfShownTable(body, line) ? tail : tail.slice(0, lineStart)
}
