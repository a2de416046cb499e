import type { Token, Tokens } from 'marked'

/**
 * An emphasis, strong or strikethrough opener left as text: a run of `*`, `_` or `~~` followed
 * by a non-space (`_` not inside a word, where it never opens).
 */
const OPENER =
  /(?:^|(?<=[^\\*_~\p{L}\p{N}]))_{1,3}(?=[^\s_])|(?:^|(?<=[^\\*]))\*{1,3}(?=[^\s*])|(?:^|(?<=[^\\~]))~~(?=[^\s~])/gu

/**
 * The inline tokens the next characters extend: those of the deepest last block. None after a
 * blank line (a `space` token): the paragraph is over, and `~~a\n\n` + `~~` made a paragraph
 * `~~` appear under the finished `~~a`, then go when the next line started.
 */
function lastInlineTokens(tokens: readonly Token[], depth = 0): Token[] | undefined {
  const token = tokens.at(-1)
  // Nested past this (model output: `>>>>…`), no closers are appended.
  if (token === undefined || depth > 32 || token.type === 'space') return undefined
  if (token.type === 'list') {
    const item = (token as Tokens.List).items.at(-1)
    return item === undefined ? undefined : lastInlineTokens(item.tokens, depth + 1)
  }
  if (token.type === 'blockquote') return lastInlineTokens((token as Tokens.Blockquote).tokens, depth + 1)
  if (token.type === 'paragraph' || token.type === 'heading' || token.type === 'text')
    return (token as Tokens.Paragraph).tokens
  return undefined
}

/** The openers left as text in the last run of inline text, in order. */
export function openersLeftAsText(tokens: readonly Token[]): string[] {
  const inline = lastInlineTokens(tokens)
  if (inline === undefined) return []
  const openers: string[] = []
  inline.forEach((token, index) => {
    if (token.type !== 'text') return
    // The first character of the next token too: `a*` before the bare URL `https://x` is an
    // opener (marked made the URL a token of its own, and `a*https:/` was italic a moment ago).
    const raw = token.raw + (inline[index + 1]?.raw[0] ?? '')
    for (const match of raw.matchAll(OPENER))
      if (match.index < token.raw.length) openers.push(match[0].slice(0, token.raw.length - match.index))
  })
  return openers
}

/**
 * The closers that would complete the emphasis openers marked left as text at the end of a
 * repaired streaming tail, or `''`. remend counts markers, so `**a *b* c` (four asterisks) looks
 * complete to it and showed as `**a b c` between `a` (bold) and the bold `a b c`; its closers
 * are `**`. The caller re-lexes with them and keeps the result only if nothing is left open.
 *
 * @example
 * closersFor(lexer.lex('Say **a *b* c')) // '**'
 */
export function closersFor(tokens: readonly Token[]): string {
  return openersLeftAsText(tokens).reverse().join('')
}
