import type { Token, TokenizerExtension, TokenizerThis, Tokens } from 'marked'
import { readMath, startOfMath } from './math-syntax.ts'
import { INCOMPLETE_LINK_URL } from './repair-markdown.ts'
import { childLists } from './tail-tokens.ts'

/**
 * A formula whose closing delimiter has not arrived yet, at the end of a streaming answer: its
 * opener and the rest of that run of inline text, shown as the markdown it is but with no formula
 * read inside it (`data-math="text"`).
 */
export interface OpenFormulaToken extends Tokens.Generic {
  type: 'math-open'
  /** The text from the opener on, exactly as written. */
  raw: string
  /** `raw` lexed as inline markdown without math. */
  tokens: Token[]
}

const SPACE = /\s/
/** `$` and a number, then a space or punctuation and a space: how prices are written. */
const PRICE = /^\$\d[\d.,]*(?:\s|[.,;:!?)]\s)/

/**
 * Whether `source` starts with a formula opener that is not closed yet but may still be (see
 * {@link readMath}): then it shows as text, with no formula inside, until it closes.
 *
 * @example
 * isOpenFormula('\\[x + $5$ and') // true: `$5$` waits, the `\\]` may still come
 * isOpenFormula('$$$$') // false: the first `$$` closes an empty body, which is never a formula
 * isOpenFormula('$ 5') // false: a space after `$` never opens a formula
 */
export function isOpenFormula(source: string): boolean {
  if (source.startsWith('$$')) return source.indexOf('$$', 2) === -1
  if (source.startsWith('$')) {
    const first = source[1]
    if (first === undefined) return true
    if (SPACE.test(first)) return false
    // A price ("$5 and", "$1,200.50, then") is taken for one, not held as an open formula: it can
    // only become one with a later `$` after a non-space ("$5 and x$"), which answers rarely
    // write, and holding it would keep every later formula of the paragraph as text meanwhile.
    if (PRICE.test(source)) return false
    for (let index = 1; index < source.length; index++) {
      const char = source[index]
      if (char === '\\') {
        index++
        continue
      }
      if (char === '\n' && source[index + 1] === '\n') return false
      if (char === '`') return false
    }
    // Every `$` after the opener failed to close it (a space before, a digit after): the next may not.
    return true
  }
  if (source.startsWith('\\(')) return source.indexOf('\\)', 2) === -1
  if (source.startsWith('\\[')) return source.indexOf('\\]', 2) === -1
  return false
}

/**
 * The math extension for the streaming tail: a formula as `mathExtension` reads it, or,
 * where an opener is not closed yet ({@link isOpenFormula}), an {@link OpenFormulaToken} for the
 * rest of the inline text, lexed by `lexText` (inline markdown without math, with the lexer's
 * link definitions). This is marked's own inline pass with readMath, so the streaming tail and
 * the final text can never disagree about where formulas start: a formula inside one still open
 * (`\[$5$` before its `\]`) is never shown, to be swallowed when the outer one closes.
 *
 * @example
 * const extension = createStreamingMathExtension((source) => new Lexer({ gfm: true }).inlineTokens(source))
 */
export function createStreamingMathExtension(
  lexText: (source: string, lexer: TokenizerThis['lexer']) => Token[],
): TokenizerExtension {
  return {
    name: 'math',
    level: 'inline',
    start: startOfMath,
    tokenizer(source) {
      const math = readMath(source)
      if (math !== undefined) return math
      if (!isOpenFormula(source)) return undefined
      const open: OpenFormulaToken = { type: 'math-open', raw: source, tokens: lexText(source, this.lexer) }
      return open
    },
  }
}

/** A streaming tail that ends with a blank line: no run of inline text can grow. */
const ENDS_WITH_BLANK_LINE = /\n[ \t]*\n\s*$/

/** A formula shown as its text: inside a link still being written, its TeX may yet change. */
function asText(token: Token): OpenFormulaToken {
  // An `escape` token's text is decoded once when rendered: `&` is encoded so it round-trips.
  const text: Tokens.Escape = { type: 'escape', raw: token.raw, text: token.raw.replaceAll('&', '&amp;') }
  return { type: 'math-open', raw: token.raw, tokens: [text] }
}

/**
 * Settles the {@link OpenFormulaToken}s of a lexed streaming tail. Only the one at the very end of
 * the text (in the last run of inline text, the one the next characters extend) can still close:
 * it stays. Any other can no longer close (its paragraph, list item or table cell is over): it is
 * lexed again by `relex` (inline markdown with math), as the finished text will be.
 *
 * A formula inside a link whose destination is still streaming (repair's pending link) shows as
 * text too: marked removes backslash escapes from link text, so `[$\{x\}$` reads as `$\{x\}$` in
 * a link and as `${x}$` once the paragraph shows it is none.
 *
 * @example
 * settleOpenFormulas(tokens, shown.endsWith('\n\n'), (raw) => mathLexer.inlineTokens(raw))
 */
export function settleOpenFormulas(
  tokens: Token[],
  endsWithBlankLine: boolean,
  relex: (raw: string) => Token[],
): void {
  const visit = (list: Token[], last: boolean, pendingLink: boolean) => {
    let lastIndex = list.length - 1
    while (lastIndex >= 0 && list[lastIndex]!.type === 'space') lastIndex--
    for (let index = list.length - 1; index >= 0; index--) {
      const token = list[index]!
      const isLast = last && index === lastIndex
      if (token.type === 'math-open') {
        if (!isLast)
          list.splice(index, 1, ...(pendingLink ? relex(token.raw).map(textInLink) : relex(token.raw)))
        continue
      }
      if (token.type === 'math' && pendingLink) {
        list[index] = asText(token)
        continue
      }
      const inPendingLink =
        pendingLink || (token.type === 'link' && (token as Tokens.Link).href === INCOMPLETE_LINK_URL)
      for (const child of childLists(token)) visit(child.tokens, isLast && child.last, inPendingLink)
    }
  }
  visit(tokens, !endsWithBlankLine, false)
}

function textInLink(token: Token): Token {
  return token.type === 'math' ? asText(token) : token
}

/** Whether a streaming tail ends with a blank line: then no run of inline text can grow. */
export function endsWithBlankLine(text: string): boolean {
  return ENDS_WITH_BLANK_LINE.test(text)
}
