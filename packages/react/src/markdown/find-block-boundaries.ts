import { Lexer, type MarkedOptions, type TokenizerExtension } from 'marked'
import { MARKED_OPTIONS } from './lex-markdown.ts'

/**
 * Records where each top-level step of marked's block lexer starts. marked calls block extensions
 * first in every iteration of its block loop, with the remaining (tab-expanded) source; a
 * tokenizer that never matches therefore sees every step without changing the result. Nested
 * calls (list items, blockquotes) pass their own token arrays and are ignored.
 */
interface StepRecorder {
  topLevel: unknown[] | null
  source: string | null
  steps: number[]
}

const recorder: StepRecorder = { topLevel: null, source: null, steps: [] }

const stepExtension: TokenizerExtension = {
  name: 'sluiceBlockStep',
  level: 'block',
  tokenizer(source, tokens) {
    if (tokens !== recorder.topLevel) return undefined
    if (recorder.source === null) recorder.source = source
    recorder.steps.push(recorder.source.length - source.length)
    return undefined
  },
}

const BOUNDARY_OPTIONS = {
  ...MARKED_OPTIONS,
  extensions: {
    block: [stepExtension.tokenizer],
    inline: [],
    childTokens: {},
    renderers: {},
  },
} as unknown as MarkedOptions

/** A blank line: the only place a top-level block can end for good. */
const BLANK_LINE = /\n[ \t]*\n/
const LINE_BREAK = /\r\n|\r|\n/g

/**
 * The first line of a candidate block could still turn into a continuation of the block before
 * it while it is incomplete: `2` may become `2. item` (same list), `-` may become `- item`, and
 * leading spaces decide whether it is indented content. A complete line, or one that starts in
 * column 0 with a letter (never a list marker or indentation), is settled.
 */
function firstLineIsSettled(source: string, start: number): boolean {
  if (source.indexOf('\n', start) !== -1) return true
  return /^[A-Za-z][^\n]/.test(source.slice(start, start + 2))
}

function offsetOfLine(text: string, line: number): number {
  if (line === 0) return 0
  LINE_BREAK.lastIndex = 0
  let count = 0
  let match = LINE_BREAK.exec(text)
  while (match !== null) {
    count++
    if (count === line) return match.index + match[0].length
    match = LINE_BREAK.exec(text)
  }
  return text.length
}

function countLines(text: string, end: number): number {
  let count = 0
  let index = text.indexOf('\n')
  while (index !== -1 && index < end) {
    count++
    index = text.indexOf('\n', index + 1)
  }
  return count
}

/**
 * Finds where `source` can be cut into final blocks: offsets (ascending, in `source`) of block
 * starts such that everything before each offset lexes the same whatever text is appended.
 *
 * A cut is made only where marked itself started a new top-level block right after a blank line,
 * so open code fences, unclosed HTML comments, lists and indented code that continue across blank
 * lines are never split: marked keeps them in one step. The last block is never returned as
 * final (it may still grow), and a cut before a block whose first line is still incomplete waits
 * (see {@link firstLineIsSettled}).
 *
 * Cost: one block-level lex (no inline lexing) of `source`, which is only the unfinished tail of
 * the document, and only when the tail contains a blank line.
 *
 * @example
 * findBlockBoundaries('# Title\n\nFirst paragraph.\n\nSecond') // [9, 27]
 */
export function findBlockBoundaries(source: string): number[] {
  const normalized = source.includes('\r') ? source.replace(/\r\n?/g, '\n') : source
  if (!BLANK_LINE.test(normalized)) return []
  const lexer = new Lexer(BOUNDARY_OPTIONS)
  const topLevel: unknown[] = []
  recorder.topLevel = topLevel
  recorder.source = null
  recorder.steps = []
  try {
    lexer.blockTokens(normalized, topLevel as never)
  } finally {
    recorder.topLevel = null
  }
  const expanded = recorder.source ?? normalized
  const steps = recorder.steps
  recorder.source = null
  recorder.steps = []

  const lines: number[] = []
  for (let index = 0; index < steps.length; index++) {
    const start = steps[index]!
    if (start === 0 || expanded.charCodeAt(start - 1) !== 10) continue
    const previousLineStart = expanded.lastIndexOf('\n', start - 2) + 1
    if (expanded.slice(previousLineStart, start - 1).trim() !== '') continue
    // A step that is itself blank space is not a block start.
    const lineEnd = expanded.indexOf('\n', start)
    if (expanded.slice(start, lineEnd === -1 ? undefined : lineEnd).trim() === '') continue
    if (!firstLineIsSettled(expanded, start)) continue
    // Tab expansion changes columns, never lines: map the cut through its line number.
    lines.push(countLines(expanded, start))
  }
  return lines.map((line) => offsetOfLine(source, line))
}
