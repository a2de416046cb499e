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
  /**
   * Class names for the piece (for class-based themes), space-separated. `createHighlighter` gives
   * every highlight.js scope around the piece, outermost first (`hljs-string hljs-subst`).
   */
  className?: string
}

/**
 * Highlights code: returns its lines (split on `'\n'`) as styled pieces; a piece with neither
 * `color` nor `className` renders as plain text. `createHighlighter()` from
 * `@sluice/react/highlight` is a ready one (lowlight, loaded lazily); write your own to use
 * another library, and load it with a dynamic `import()` inside so it stays out of the main
 * bundle. Nothing is rendered as HTML.
 *
 * `Markdown` calls it after the render, never during it: for the block still streaming with its
 * finished lines only (the code up to its last line break), at most every 100 ms and never while
 * its previous call for that block runs; for a complete block at once, with the whole code. So
 * one block may be asked for several, growing texts, and answers may arrive in any order (an
 * older one never replaces a newer). Lines whose pieces do not add up to the code's lines are not shown (the
 * text on screen is always the code), and a highlighter that throws or rejects leaves the plain
 * text.
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

/**
 * Renders formulas for `Markdown`'s `math` prop: `createMathRenderer()` from `@sluice/react/math`
 * is a ready one (KaTeX, loaded lazily). `render` returns the formula's markup, which is inserted
 * as HTML, so it must come from a renderer that escapes its input (KaTeX does) — never from the
 * model. It returns `undefined` while the renderer is still loading (the formula shows as its
 * TeX text meanwhile and `load()` is awaited), and `null` for a formula it will not render
 * (shown as text).
 *
 * @example
 * const math: MathRenderer = {
 *   render: (tex, display) => (katex === undefined ? undefined : katex.renderToString(tex, { displayMode: display })),
 *   load: async () => { katex = (await import('katex')).default },
 * }
 */
export interface MathRenderer {
  render(tex: string, display: boolean): string | null | undefined
  load(): Promise<void>
}

/** Options shared by every block of one `Markdown`, through context. */
export interface MarkdownRenderOptions {
  readonly allowedOrigins: ReadonlySet<string>
  readonly allowDataImages: boolean
  readonly components: MarkdownComponents
  readonly highlighter: CodeHighlighter | undefined
  readonly math?: MathRenderer | undefined
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
