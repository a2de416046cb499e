import { Lexer, Marked, type MarkedOptions, type Token } from 'marked'
import { mathExtension } from './math-syntax.ts'
import { createStreamingMathExtension, endsWithBlankLine, settleOpenFormulas } from './open-formula.ts'

/** Reference-style link definitions (`[label]: url "title"`), keyed by normalised label. */
export type LinkDefinitions = Readonly<Record<string, { href: string | null; title?: string | null }>>

/** GitHub-flavoured markdown, as models write it. The same options for every lex, so blocks agree. */
export const MARKED_OPTIONS: MarkedOptions = { gfm: true, breaks: false, pedantic: false }

/** {@link MARKED_OPTIONS} with the `math` inline extension (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`). */
const MATH_MARKED_OPTIONS: MarkedOptions = new Marked({ ...MARKED_OPTIONS, extensions: [mathExtension] })
  .defaults

/**
 * {@link MATH_MARKED_OPTIONS} for a streaming tail: a formula whose closing delimiter has not
 * arrived shows as text with no formula inside (see {@link createStreamingMathExtension}).
 */
const STREAMING_MATH_MARKED_OPTIONS: MarkedOptions = new Marked({
  ...MARKED_OPTIONS,
  extensions: [
    createStreamingMathExtension((source, outer) => {
      const lexer = new Lexer(MARKED_OPTIONS)
      Object.assign(lexer.tokens.links, outer.tokens.links)
      lexer.state.inLink = outer.state.inLink
      return lexer.inlineTokens(source)
    }),
  ],
}).defaults

/** How {@link lexMarkdown} reads formulas: not at all, in finished text, or in a streaming tail. */
export type MathMode = false | true | 'streaming'

/** The result of lexing one block: its tokens and every definition known after lexing it. */
export interface LexedBlock {
  tokens: Token[]
  definitions: LinkDefinitions
}

/**
 * Lexes one block of markdown with marked (block and inline level), resolving references against
 * `definitions` found elsewhere in the document. Definitions in the block itself are added after
 * the given ones, so the first definition of a label in document order wins, as in CommonMark.
 *
 * With `math: 'streaming'` (the streaming tail), the formula opener at the very end that has not
 * closed yet becomes a `math-open` token (text, no formula inside); an open opener anywhere else
 * can no longer close and is read as in finished text (see {@link settleOpenFormulas}).
 *
 * @example
 * const { tokens } = lexMarkdown('[docs][d]', { d: { href: 'https://example.com', title: null } })
 */
export function lexMarkdown(
  source: string,
  definitions: LinkDefinitions,
  math: MathMode = false,
): LexedBlock {
  const options =
    math === 'streaming' ? STREAMING_MATH_MARKED_OPTIONS : math ? MATH_MARKED_OPTIONS : MARKED_OPTIONS
  const lexer = new Lexer(options)
  Object.assign(lexer.tokens.links, definitions)
  const tokens = [...lexer.lex(source)]
  if (math === 'streaming') {
    settleOpenFormulas(tokens, endsWithBlankLine(source), (raw) => {
      const relexer = new Lexer(MATH_MARKED_OPTIONS)
      Object.assign(relexer.tokens.links, lexer.tokens.links)
      return relexer.inlineTokens(raw)
    })
  }
  return { tokens, definitions: lexer.tokens.links as LinkDefinitions }
}
