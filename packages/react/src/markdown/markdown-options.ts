import { type ComponentType, createContext, type JSX } from 'react'

/** Elements the markdown renderer creates and that `components` can replace. */
export type MarkdownElement =
  | 'p'
  | 'h1'
  | 'h2'
  | 'h3'
  | 'h4'
  | 'h5'
  | 'h6'
  | 'a'
  | 'img'
  | 'ul'
  | 'ol'
  | 'li'
  | 'input'
  | 'blockquote'
  | 'pre'
  | 'code'
  | 'table'
  | 'thead'
  | 'tbody'
  | 'tr'
  | 'th'
  | 'td'
  | 'strong'
  | 'em'
  | 'del'
  | 'hr'
  | 'br'

/**
 * Replacements for the elements the renderer creates, like react-markdown's `components`. A
 * replacement receives the props the element would get (already sanitised: an `a` only ever
 * receives a safe `href`) and its children.
 *
 * @example
 * const components: MarkdownComponents = { a: (props) => <a {...props} className="link" /> }
 */
export type MarkdownComponents = { [Tag in MarkdownElement]?: ComponentType<JSX.IntrinsicElements[Tag]> }

/** One highlighted piece of a code line. */
export interface HighlightedToken {
  content: string
  /** A CSS colour for the piece (set as `style.color`). */
  color?: string
  /** A class name for the piece (for class-based themes). */
  className?: string
}

/**
 * Highlights a finished code block: returns its lines as styled pieces. Called lazily, after the
 * block is complete, never during streaming; load the highlighter with a dynamic `import()` inside
 * it so it stays out of the main bundle. Nothing is rendered as HTML.
 *
 * @example
 * const highlighter: CodeHighlighter = async (code, language) => {
 *   const { codeToTokens } = await import('shiki')
 *   const { tokens } = await codeToTokens(code, { lang: language as never, theme: 'github-light' })
 *   return tokens.map((line) => line.map((token) => ({ content: token.content, color: token.color ?? '' })))
 * }
 */
export type CodeHighlighter = (
  code: string,
  language: string,
) => Promise<readonly (readonly HighlightedToken[])[]> | readonly (readonly HighlightedToken[])[]

/** Options shared by every block of one `Markdown`, through context. */
export interface MarkdownRenderOptions {
  readonly allowedOrigins: ReadonlySet<string>
  readonly allowDataImages: boolean
  readonly components: MarkdownComponents
  readonly highlighter: CodeHighlighter | undefined
}

/** Default options: no origin allowed, no data images, no overrides, no highlighter. */
export const DEFAULT_RENDER_OPTIONS: MarkdownRenderOptions = {
  allowedOrigins: new Set(),
  allowDataImages: false,
  components: {},
  highlighter: undefined,
}

/** Shares {@link MarkdownRenderOptions} with the memoised blocks without passing props to each. */
export const MarkdownOptionsContext = createContext<MarkdownRenderOptions>(DEFAULT_RENDER_OPTIONS)
