import type { Token, Tokens } from 'marked'
import { INCOMPLETE_LINK_URL } from './repair-markdown.ts'

/**
 * Walks deeper than this are cut short: tokens come from model output (`>>>>…` nests a
 * blockquote per marker), and these walks only judge the streaming tail, so stopping early
 * only means a repair is not second-guessed.
 */
const MAX_DEPTH = 32

/** Inline or block children of a token, with the last one (the one that can still grow) marked. */
export function childLists(token: Token): { tokens: Token[]; last: boolean }[] {
  if (token.type === 'list') {
    const items = (token as Tokens.List).items
    return items.map((item, index) => ({ tokens: item.tokens, last: index === items.length - 1 }))
  }
  if (token.type === 'table') {
    const table = token as Tokens.Table
    const cells = [...table.header, ...table.rows.flat()]
    let lastCell = cells.length - 1
    // marked pads a short row with empty cells: the text being written is the last non-empty one.
    while (lastCell > 0 && cells[lastCell]!.tokens.length === 0) lastCell--
    return cells.map((cell, index) => ({ tokens: cell.tokens, last: index === lastCell }))
  }
  const nested = (token as { tokens?: Token[] }).tokens
  return nested === undefined ? [] : [{ tokens: nested, last: true }]
}

/** Whether `tokens` hold a link to {@link INCOMPLETE_LINK_URL} (at any depth, table cells too). */
export function hasPendingLink(tokens: readonly Token[], depth = 0): boolean {
  if (depth > MAX_DEPTH) return false
  return tokens.some(
    (token) =>
      (token.type === 'link' && (token as Tokens.Link).href === INCOMPLETE_LINK_URL) ||
      childLists(token).some((child) => hasPendingLink(child.tokens, depth + 1)),
  )
}

/** The text `tokens` show: the text of their leaves (text, code spans, escapes), markers left out. */
export function visibleText(tokens: readonly Token[], depth = 0): string {
  if (depth > MAX_DEPTH) return ''
  let text = ''
  for (const token of tokens) {
    const children = childLists(token)
    if (children.length > 0) for (const child of children) text += visibleText(child.tokens, depth + 1)
    else if ('text' in token && typeof token.text === 'string') text += token.text
  }
  return text
}
