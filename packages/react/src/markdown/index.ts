export type { CodeBlockProps } from './code-block.tsx'
export { CodeBlock } from './code-block.tsx'
export { Markdown, type MarkdownProps } from './markdown.tsx'
export type {
  CodeHighlighter,
  HighlightedToken,
  MarkdownComponents,
  MarkdownElement,
  MathRenderer,
} from './markdown-options.ts'
export { type SafeUrl, type SanitizeUrlOptions, sanitizeUrl, type UrlPurpose } from './sanitize-url.ts'
