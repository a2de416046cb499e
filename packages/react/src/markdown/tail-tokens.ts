import type { Token, Tokens } from 'marked'
import { INCOMPLETE_LINK_URL } from './repair-markdown.ts'

/**
 * Walks deeper than this are cut short: tokens come from model output (`>>>>…` nests a
 * blockquote per marker), and these walks only judge the streaming tail, so stopping early
 * only means a repair is not second-guessed.
 */
const MAX_DEPTH = 32

/** The tokens a token holds: its inline or block children, list items, table cells. */
function childrenOf(token: Token): readonly Token[][] {
  if (token.type === 'list') return (token as Tokens.List).items.map((item) => item.tokens)
  if (token.type === 'table') {
    const table = token as Tokens.Table
    return [...table.header, ...table.rows.flat()].map((cell) => cell.tokens)
  }
  return 'tokens' in token && token.tokens !== undefined ? [token.tokens] : []
}

/** Whether `tokens` hold a link to {@link INCOMPLETE_LINK_URL} (at any depth, table cells too). */
export function hasPendingLink(tokens: readonly Token[], depth = 0): boolean {
  if (depth > MAX_DEPTH) return false
  return tokens.some(
    (token) =>
      (token.type === 'link' && (token as Tokens.Link).href === INCOMPLETE_LINK_URL) ||
      childrenOf(token).some((children) => hasPendingLink(children, depth + 1)),
  )
}

/** The text `tokens` show: the text of their leaves (text, code spans, escapes), markers left out. */
export function visibleText(tokens: readonly Token[], depth = 0): string {
  if (depth > MAX_DEPTH) return ''
  let text = ''
  for (const token of tokens) {
    const children = childrenOf(token)
    if (children.length > 0) for (const inner of children) text += visibleText(inner, depth + 1)
    else if ('text' in token && typeof token.text === 'string') text += token.text
  }
  return text
}
