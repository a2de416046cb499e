import remend from 'remend'

/**
 * Options for remend. Repairs that would render differently from the final text are off, so the
 * streaming tail never shows something the finished answer will not:
 * - `singleTilde` / `comparisonOperators` escape text marked renders as strikethrough/blockquote;
 * - `htmlTags` hides a half-written tag, but raw HTML renders as text here anyway;
 * - `katex` / `inlineKatex` close `$$` math, which this component does not render.
 */
const REMEND_OPTIONS = {
  singleTilde: false,
  comparisonOperators: false,
  htmlTags: false,
  katex: false,
  inlineKatex: false,
} as const

/** A table header row followed by a delimiter row that is still being written (`|--`). */
const PARTIAL_DELIMITER_ROW = /(^|\n)([^\n]*\|[^\n]*)\n[ \t]*\|?[ \t]*:?-*:?[ \t]*(?:\|[ \t]*:?-*:?[ \t]*)*$/

/** The number of cells of a table row (`| a | b |` → 2; `\|` does not split). */
export function countCells(row: string): number {
  const trimmed = row.trim().replace(/^\|/, '').replace(/\|$/, '')
  return trimmed.split(/(?<!\\)\|/).length
}

/**
 * Completes a half-written table delimiter row so the table appears at once instead of showing
 * `| a | b |` as a paragraph and then jumping into a table. Body rows need no help: marked pads
 * a short row with empty cells.
 */
function repairTableDelimiter(text: string): string {
  const match = PARTIAL_DELIMITER_ROW.exec(text)
  if (match === null) return text
  const header = match[2] ?? ''
  const lastLine = text.slice(text.lastIndexOf('\n') + 1)
  if (!/[-|:]/.test(lastLine)) return text
  const cells = countCells(header)
  return `${text.slice(0, text.length - lastLine.length)}|${' --- |'.repeat(cells)}`
}

/**
 * Repairs incomplete markdown at the end of a streaming block (`**bo` → `**bo**`, a half link
 * becomes a pending link, a half image is dropped, a half table delimiter row is completed), using
 * remend, the repair library behind Streamdown. Only ever called on the unfinished tail block.
 *
 * `links: false` leaves a half link as text (see MarkdownDocument's `lexTail`: a pending link that
 * marked does not read as a link).
 *
 * @example
 * repairMarkdown('Some **bo') // 'Some **bo**'
 */
export function repairMarkdown(text: string, { links = true }: { links?: boolean } = {}): string {
  // Backslashes at the very end wait for the character they escape: remend's closers would
  // follow them, and `[a\` + `](…)` escapes the `]` (or closes a `\[` formula with `\]`).
  const written = closedLinkText(text.replace(TRAILING_BACKSLASHES, ''))
  // Only the text after the last blank line can still grow: remend closed `_` of a paragraph
  // already over after the next one (`_\n\na` → `_\n\na_`), which then showed `_a` one
  // character later when that paragraph became final. Not inside an open code fence.
  const start = lastBlockStart(written)
  // The delimiter row first: remend reads a last line of dashes under text as a setext heading
  // being written and appends a zero-width space to it, which no delimiter row matches.
  const block = protectEscapedBrackets(repairTableDelimiter(written.slice(start)))
  let repaired = remend(block, links ? REMEND_OPTIONS : REMEND_OPTIONS_WITHOUT_LINKS)
  if (links && pendingLinkTextHasBracket(repaired)) repaired = remend(block, REMEND_OPTIONS_WITHOUT_LINKS)
  return written.slice(0, start) + restoreEscapedBrackets(repaired)
}

/** {@link REMEND_OPTIONS} without the pending link (see {@link pendingLinkTextHasBracket}). */
const REMEND_OPTIONS_WITHOUT_LINKS = { ...REMEND_OPTIONS, links: false, images: false } as const

/**
 * Whether remend made the end of `repaired` a pending link whose text holds a bracket. remend
 * closes the last open `[` by appending `](…)`, and marked then takes the outer bracket of
 * nested ones as the link: `[[a` showed `[` as text and `a` as a pending link, then `[[a]a`
 * showed `[a]a` as a pending link, then the finished text showed `[[a]a` as text again. Such a
 * link stays text until its destination is complete. Reads back from the end to the first
 * bracket only (the link text); escaped brackets are hidden behind placeholders by then.
 */
function pendingLinkTextHasBracket(repaired: string): boolean {
  if (!repaired.endsWith(PENDING_LINK_END)) return false
  for (let index = repaired.length - PENDING_LINK_END.length - 1; index >= 0; index--) {
    const char = repaired[index]
    if (char === '[') return false
    if (char === ']') return true
  }
  return false
}

const BLANK_LINE = /\n[ \t]*\n/g
const FENCE_LINE = /^ {0,3}(?:`{3,}|~{3,})/gm

/** Where the text after the last blank line starts (0 if there is none, or it is inside a code fence). */
function lastBlockStart(text: string): number {
  let start = 0
  for (const match of text.matchAll(BLANK_LINE)) start = match.index + match[0].length
  if (start === 0) return 0
  const fences = text.slice(0, start).match(FENCE_LINE)?.length ?? 0
  return fences % 2 === 0 ? start : 0
}

const TRAILING_BACKSLASHES = /\\+$/
/** `[text]` at the very end, not `\]`, not a task list box (`- [ ]`, `1. [x]`). */
const CLOSED_LINK_TEXT = /(?<!\\)\[[^[\]\n]+(?<!\\)\]$/
const TASK_BOX = /(?:^|\n)[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]+\[[ xX]\]$/

/**
 * `[text]` at the very end may be a link whose `(` comes next: it stays a pending link (text,
 * no brackets) as while its text streamed, instead of showing `[text]` for one render and then
 * `text` again. If no `(` follows, the brackets appear with the next character.
 */
function closedLinkText(text: string): string {
  return CLOSED_LINK_TEXT.test(text) && !TASK_BOX.test(text) ? `${text}(` : text
}

/** `\[`, `\]`, `\(`, `\)` not preceded by another backslash (an escaped backslash). */
const ESCAPED_BRACKET = /(?<!\\)((?:\\\\)*)\\([[\]()])/g
/** Stand-ins for the escaped brackets while remend runs: control characters U+0001…U+0004. */
const BRACKETS = ['[', ']', '(', ')'] as const
const PLACEHOLDERS = BRACKETS.map((_, index) => String.fromCharCode(index + 1))

/**
 * remend does not read escapes: `\[x` (an escaped bracket, or the opening of a `\[…\]` formula)
 * would get `](streamdown:incomplete-link)` appended, and `\[` + `\` + that `]` would even make a
 * formula. Escaped brackets are hidden from it behind control characters (text that already
 * holds such characters is left as it is).
 */
function protectEscapedBrackets(text: string): string {
  if (PLACEHOLDERS.some((placeholder) => text.includes(placeholder))) return text
  return text.replace(
    ESCAPED_BRACKET,
    (_, backslashes: string, bracket: string) =>
      `${backslashes}\\${PLACEHOLDERS[BRACKETS.indexOf(bracket as (typeof BRACKETS)[number])]}`,
  )
}

function restoreEscapedBrackets(text: string): string {
  let restored = text
  PLACEHOLDERS.forEach((placeholder, index) => {
    if (restored.includes(placeholder)) restored = restored.replaceAll(placeholder, BRACKETS[index]!)
  })
  return restored
}

/** The URL remend gives a link whose destination is still streaming. */
export const INCOMPLETE_LINK_URL = 'streamdown:incomplete-link'
/** What remend appends to close a pending link. */
const PENDING_LINK_END = `](${INCOMPLETE_LINK_URL})`
/** The URL remend gives an image whose destination is still streaming. */
export const INCOMPLETE_IMAGE_URL = 'streamdown:incomplete-image'
