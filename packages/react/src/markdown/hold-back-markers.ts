/**
 * A last line that is only list markers (`-`, `*`, `+`, `1.`, `5)`; `1. 5)` is an item that
 * starts a nested list), with nothing after the last one yet. Groups: the indentation and the
 * markers before the last one; the last one's digits.
 */
const TRAILING_LIST_MARKER = /(?:^|\n)([ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)*)(?:[-+*]|(\d{1,9})[.)])$/
/** A line that opens or closes a code fence. */
const FENCE_LINE = /^ {0,3}(?:`{3,}|~{3,})/gm
/** Emphasis, strikethrough, code and link-opening characters. */
const MARKERS = new Set(['*', '_', '~', '`', '['])

const isSpace = (char: string | undefined) => char === ' ' || char === '\t'

/**
 * Where the run of characters accepted by `take` that ends at `end` starts. Scanned backwards
 * by hand: a `[ \t]*$` regular expression retries from every space of a long run (quadratic on
 * a hostile answer of many spaces or asterisks).
 */
function runStart(text: string, end: number, take: (char: string) => boolean): number {
  let start = end
  while (start > 0 && take(text[start - 1]!)) start--
  return start
}

/** Whether `text` ends with a blank line (a line break, spaces, a line break, spaces). */
function endsWithBlankLine(text: string): boolean {
  let end = runStart(text, text.length, isSpace)
  if (text[end - 1] !== '\n') return false
  end = runStart(text, end - 1, isSpace)
  return text[end - 1] === '\n'
}

/**
 * `text` without the spaces and the one line break at its very end (a blank line stays: it ends
 * the paragraph). remend puts its closers at the very end, after them: `**a\n` became `**a\n**`,
 * which is no closer (a thematic break, or a second opener on the next line).
 */
function withoutTrailingBreak(text: string): string {
  if (endsWithBlankLine(text)) return text
  let end = runStart(text, text.length, isSpace)
  if (text[end - 1] === '\n') end = runStart(text, end - 1, isSpace)
  return text.slice(0, end)
}

/**
 * Holds back the end of a streaming tail that the next character may make into something else,
 * so the line only grows instead of showing one thing, then another, then the first again:
 *
 * - the run of markers (`*`, `_`, `~`, `` ` ``, `[`) at the very end: an opener with nothing
 *   after it yet, or the first half of a closer. Shown at once, the repair read it as text or as
 *   a closer of the wrong length: `***both*` showed `*both` between two renders of bold italic,
 *   `**a *` showed `**a **` between `a` and `a b`, `~~a[` showed `~~a` between two renders of
 *   struck `a`. A marker that stays text (`a *`, then `a * b`) appears one character late;
 * - a last line that is only a list marker: `5)` made an empty numbered item (the `5` went
 *   into the item's marker), then `5)a` was text again. A bullet alone shows nothing yet, a
 *   number shows without its `.` or `)`;
 * - spaces and a line break at the very end, also when they are left at the end by a held
 *   marker or list marker: the repair closed `**a` after them (`**a\n**`, `_#  _`), which is no
 *   closer, so the bold showed as `**a` while the next line started with `*`, `[` or `-`.
 *
 * @example
 * holdBackTrailingMarkers('Say ***both*') // 'Say ***both'
 * holdBackTrailingMarkers('Costs\n1.') // 'Costs\n1'
 */
export function holdBackTrailingMarkers(tail: string): string {
  if (endsWithBlankLine(tail)) return tail
  // Inside an open code fence every character is code, shown as it comes (a finished line is
  // highlighted as soon as its line break arrives).
  if ((tail.match(FENCE_LINE)?.length ?? 0) % 2 === 1) return tail
  // Spaces and one line break at the very end, then the run of markers before them, then the
  // spaces and line break before that run (`**a\n*`: the next line starts with a marker), and
  // again while what is left ends with a marker: `` ` * `` left a lone `` ` `` shown as text,
  // then `` ` *a `` made it code, and the end of the paragraph made it text again.
  let held = withoutTrailingBreak(tail)
  for (;;) {
    const markersStart = runStart(held, held.length, (char) => MARKERS.has(char))
    if (markersStart === held.length) break
    held = withoutTrailingBreak(held.slice(0, markersStart))
  }
  return holdBackListMarker(held)
}

/**
 * Holds back a last line's last list marker: `1.` keeps its number (text until the item
 * starts), a bullet alone shows nothing yet. After other markers on the line (`1. 5)`, `- 1.`),
 * the same: `1. 5)` made an empty nested item, so the `5` went and came back with `5)a`.
 */
function holdBackListMarker(text: string): string {
  let held = text
  // A bullet after other markers leaves them at the end: held in turn (at most one per space).
  for (;;) {
    // Only the last line can be a lone list marker: the expression runs on it alone.
    const lastLineStart = Math.max(0, held.lastIndexOf('\n'))
    const match = TRAILING_LIST_MARKER.exec(held.slice(lastLineStart))
    if (match === null) return held
    const index = lastLineStart + match.index
    const lineStart = held[index] === '\n' ? index + 1 : index
    const before = match[1] ?? ''
    // Under a line with a `|`, a `-` starts a table's delimiter row (repairMarkdown completes it).
    const previousLine = held.slice(held.lastIndexOf('\n', index - 1) + 1, index)
    if (previousLine.includes('|')) return held
    if (match[2] !== undefined) return held.slice(0, held.length - 1)
    // The line break before a lone marker goes (`**a\n-`), unless it ends a blank line, which
    // closes the paragraph; after other markers, the spaces before it go.
    const next = withoutTrailingBreak(
      held.slice(0, before.trim() === '' ? lineStart : lineStart + before.length),
    )
    if (before.trim() === '' || next === held) return next
    held = next
  }
}
