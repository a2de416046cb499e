import { Lexer, type Token, type Tokens } from 'marked'
import { MARKED_OPTIONS } from './lex-markdown.ts'

/** A line of only pipes, dashes, colons and spaces: a (partial) delimiter row, which repair completes. */
const DELIMITER_LIKE = /^[ \t]*[|:-][ \t|:-]*$/
/**
 * A line that opens a container or a heading: a list item (`- a | b`), a quote (`> a | b`), an ATX
 * heading (`# a | b`). A heading is never a table header; a table nested in a list item or a quote
 * is rare in answers and is not held.
 */
const CONTAINER_OR_HEADING = /^ {0,3}(?:[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|>|#{1,6}(?:[ \t]|$))/

/**
 * The index of the first `|` of `line` that can split table cells: not escaped (`\|`, an odd
 * number of backslashes before it) and not inside a closed code span (`` `a | b` ``); or -1.
 * A backtick run that is not closed yet does not hide the pipes after it: it may never close.
 */
export function firstCellPipe(line: string): number {
  let index = 0
  while (index < line.length) {
    const char = line[index]
    if (char === '\\') {
      index += 2
      continue
    }
    if (char === '|') return index
    if (char === '`') {
      let run = 1
      while (line[index + run] === '`') run++
      const close = findBacktickRun(line, index + run, run)
      if (close !== -1) {
        index = close + run
        continue
      }
      index += run
      continue
    }
    index++
  }
  return -1
}

/** The start of the next run of exactly `length` backticks from `from`, or -1. */
function findBacktickRun(line: string, from: number, length: number): number {
  let index = line.indexOf('`', from)
  while (index !== -1) {
    let run = 1
    while (line[index + run] === '`') run++
    if (run === length) return index
    index = line.indexOf('`', index + run)
  }
  return -1
}

/** The deepest last block of `tokens` (into lists and quotes), ignoring trailing blank space. */
function lastBlock(tokens: readonly Token[]): Token | undefined {
  for (let index = tokens.length - 1; index >= 0; index--) {
    const token = tokens[index]!
    if (token.type === 'space') continue
    if (token.type === 'list') {
      const items = (token as Tokens.List).items
      const item = items[items.length - 1]
      return item === undefined ? token : (lastBlock(item.tokens) ?? token)
    }
    if (token.type === 'blockquote') return lastBlock((token as Tokens.Blockquote).tokens) ?? token
    return token
  }
  return undefined
}

/**
 * Whether `line`, the last line of `body`, must show as it is: a line of a code block (fenced or
 * indented: never a table), or a body row of a table marked reads there already.
 */
function isCodeOrShownRow(body: string, line: string): boolean {
  const token = lastBlock(new Lexer(MARKED_OPTIONS).blockTokens(body, []))
  if (token === undefined) return false
  if (token.type === 'code') return true
  return token.type === 'table' && (token as Tokens.Table).rows.length > 0 && token.raw.includes(line)
}

/**
 * Holds back the end of a streaming tail while its last line may be the header row of a table
 * whose delimiter row (`|---|---|` or `--- | ---`) has not arrived yet. Shown as text,
 * `| a | b |` would turn into a table one line later: the answer changes shape and shrinks (the
 * "table flash"). Held back, the line appears once: as the table's header when the delimiter row
 * starts (repairMarkdown completes a partial one), or as text once the next line shows it is not
 * a table.
 *
 * A line may open a table when it has a `|` that splits cells (not escaped, not in a closed code
 * span; see {@link firstCellPipe}), with or without leading pipes. It is held from that pipe, so
 * what was shown of it before the pipe arrived (`Name ` of `Name | Value`) stays and the line
 * never loses text: a line shown as a short paragraph, then as a table's header, only grows. Never
 * held: lines of code blocks, body rows of a table already shown, the delimiter row under a
 * header, list items, quotes and headings.
 *
 * @example
 * holdBackTableHeader('Results:\n\n| name | value |\n') // 'Results:\n\n'
 * holdBackTableHeader('Results:\n\nname | value') // 'Results:\n\nname '
 * holdBackTableHeader('| a | b |\n| --- | --- |\n| 1 |') // unchanged (a body row)
 */
export function holdBackTableHeader(tail: string): string {
  const body = tail.endsWith('\n') ? tail.slice(0, -1) : tail
  const lineStart = body.lastIndexOf('\n') + 1
  const line = body.slice(lineStart)
  const pipe = firstCellPipe(line)
  if (pipe === -1 || CONTAINER_OR_HEADING.test(line)) return tail
  if (lineStart > 0 && DELIMITER_LIKE.test(line)) {
    const previous = body.slice(body.lastIndexOf('\n', lineStart - 2) + 1, lineStart - 1)
    if (previous.includes('|')) return tail
  }
  return isCodeOrShownRow(body, line) ? tail : tail.slice(0, lineStart + pipe)
}
