/**
 * Syntax highlighting for `Markdown`'s code blocks, loaded lazily: `createHighlighter()` returns a
 * `CodeHighlighter` built on lowlight (highlight.js grammars), which is fetched with a dynamic
 * `import()` the first time a block with a language is highlighted. Token colours for the light
 * and dark theme are in `@sluice/react/highlight.css`.
 *
 * @example
 * ```tsx
 * import { Markdown } from '@sluice/react'
 * import { createHighlighter } from '@sluice/react/highlight'
 * import '@sluice/react/highlight.css'
 *
 * const highlighter = createHighlighter()
 * <Markdown highlighter={highlighter}>{text}</Markdown>
 * ```
 * @module
 */
export type { CodeHighlighter, HighlightedToken } from '../markdown/markdown-options.ts'
export {
  type CreateHighlighterOptions,
  createHighlighter,
  type LanguageGrammars,
} from './create-highlighter.ts'
export { type HighlightTreeNode, hastToLines } from './hast-to-lines.ts'
