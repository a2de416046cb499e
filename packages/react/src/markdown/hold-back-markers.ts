/** A run of emphasis, strikethrough, code or link-opening characters at the very end. */
const TRAILING_MARKERS = /[*_~`[]+$/
/** A last line that is only a list marker (`-`, `*`, `+`, `1.`, `5)`), with nothing after it yet. */
const TRAILING_LIST_MARKER = /(?:^|\n)[ \t]*(?:[-+*]|(\d{1,9})[.)])$/
/** Spaces and one line break at the very end. */
const TRAILING_SPACE = /[ \t]*\n?[ \t]*$/
/** A line that opens or closes a code fence. */
const FENCE_LINE = /^ {0,3}(?:`{3,}|~{3,})/gm
/** A blank line at the very end: the block is over, and what ends it is kept. */
const TRAILING_BLANK_LINE = /\n[ \t]*\n[ \t]*$/

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
 * - spaces and a line break at the very end: the repair closed `**a` after them (`**a\n**`,
 *   `_#  _`), which is no closer, so the bold showed as `**a` until the next line started.
 *
 * @example
 * holdBackTrailingMarkers('Say ***both*') // 'Say ***both'
 * holdBackTrailingMarkers('Costs\n1.') // 'Costs\n1'
 */
export function holdBackTrailingMarkers(tail: string): string {
  if (TRAILING_BLANK_LINE.test(tail)) return tail
  // Inside an open code fence every character is code, shown as it comes (a finished line is
  // highlighted as soon as its line break arrives).
  if ((tail.match(FENCE_LINE)?.length ?? 0) % 2 === 1) return tail
  const held = tail.replace(TRAILING_SPACE, '').replace(TRAILING_MARKERS, '')
  const list = TRAILING_LIST_MARKER.exec(held)
  if (list === null) return held
  // Under a line with a `|`, a `-` starts a table's delimiter row (repairMarkdown completes it).
  const previousLine = held.slice(held.lastIndexOf('\n', list.index - 1) + 1, list.index)
  if (previousLine.includes('|')) return held
  // `1.` keeps its number (text until the item starts); a bullet alone shows nothing yet.
  const digits = list[1]
  // The line break before the marker stays: it may end a blank line, which closes the paragraph.
  const lineStart = held[list.index] === '\n' ? list.index + 1 : list.index
  return digits === undefined ? held.slice(0, lineStart) : held.slice(0, held.length - 1)
}
