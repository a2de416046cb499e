import { Lexer, Marked, type MarkedOptions, type Token } from 'marked'
import { mathExtension } from './math-syntax.ts'

/** Reference-style link definitions (`[label]: url "title"`), keyed by normalised label. */
export type LinkDefinitions = Readonly<Record<string, { href: string | null; title?: string | null }>>

/** GitHub-flavoured markdown, as models write it. The same options for every lex, so blocks agree. */
export const MARKED_OPTIONS: MarkedOptions = { gfm: true, breaks: false, pedantic: false }

/** {@link MARKED_OPTIONS} with the `math` inline extension (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`). */
const MATH_MARKED_OPTIONS: MarkedOptions = new Marked({ ...MARKED_OPTIONS, extensions: [mathExtension] })
  .defaults

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
 * @example
 * const { tokens } = lexMarkdown('[docs][d]', { d: { href: 'https://example.com', title: null } })
 */
export function lexMarkdown(source: string, definitions: LinkDefinitions, math = false): LexedBlock {
  const lexer = new Lexer(math ? MATH_MARKED_OPTIONS : MARKED_OPTIONS)
  Object.assign(lexer.tokens.links, definitions)
  const tokens = lexer.lex(source)
  return { tokens: [...tokens], definitions: lexer.tokens.links as LinkDefinitions }
}
