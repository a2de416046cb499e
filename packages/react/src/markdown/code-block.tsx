import { memo, type ReactNode, useContext, useEffect, useMemo, useState } from 'react'
import { matchHighlightedLines } from '../highlight/match-highlighted-lines.ts'
import { useProgressiveHighlight } from '../highlight/use-progressive-highlight.ts'
import { useLabels } from '../hooks/chat-context.tsx'
import { type HighlightedToken, MarkdownOptionsContext } from './markdown-options.ts'
import { renderElement } from './render-element.ts'

/** Props of {@link CodeBlock}. */
export interface CodeBlockProps {
  code: string
  /** The first word of the fence's info string (`ts` in ```` ```ts ````), or `''`. */
  language: string
  /**
   * `false` while the block is the streaming tail: only its finished lines are highlighted, at
   * most every 100 ms; the whole code once it is complete.
   */
  complete: boolean
}

type CopyState = 'idle' | 'copied' | 'failed'

function isStyled(token: HighlightedToken): boolean {
  return (
    (token.className !== undefined && token.className !== '') ||
    (token.color !== undefined && token.color !== '')
  )
}

/**
 * The first `lineCount` highlighted lines, memoised: while a block streams, a chunk changes only
 * the plain text after them, and these spans are not rendered again until a newer result arrives.
 */
const HighlightedLines = memo(function HighlightedLines({
  lines,
  lineCount,
}: {
  lines: readonly (readonly HighlightedToken[])[]
  lineCount: number
}) {
  const children: ReactNode[] = []
  for (let lineIndex = 0; lineIndex < lineCount; lineIndex++) {
    if (lineIndex > 0) children.push('\n')
    const line = lines[lineIndex] ?? []
    line.forEach((token, tokenIndex) => {
      // An unstyled piece is plain text: no element for it.
      if (!isStyled(token)) {
        children.push(token.content)
        return
      }
      const style = token.color === undefined || token.color === '' ? undefined : { color: token.color }
      children.push(
        // biome-ignore lint/suspicious/noArrayIndexKey: line and column are the identity of a highlighted piece.
        <span key={`${lineIndex}:${tokenIndex}`} className={token.className} style={style}>
          {token.content}
        </span>,
      )
    })
  }
  return children
})

/**
 * A fenced or indented code block: `<pre><code data-language>` with a "Copy code" button.
 *
 * With a `highlighter` (see `createHighlighter` in `@sluice/react/highlight`), highlighting never
 * blocks rendering and never flickers: the text always shows at once, exactly as it is; while the
 * block streams, its finished lines are highlighted in the background (at most every 100 ms) and
 * stay highlighted while the new text after them shows plain until the next result. A result is
 * used only for the lines whose text still equals the code's (a stale or wrong result can never
 * show other text), and a highlighter that fails leaves the plain text. `data-highlighted` on the
 * `code` element is `"partial"` while some text after the highlighted lines is plain, `"all"` when
 * every line is highlighted.
 *
 * @example
 * <CodeBlock code={'const a = 1'} language="ts" complete />
 */
export function CodeBlock({ code, language, complete }: CodeBlockProps) {
  const options = useContext(MarkdownOptionsContext)
  const [copyState, setCopyState] = useState<CopyState>('idle')
  const words = useLabels().codeBlock
  const highlight = useProgressiveHighlight(code, language, complete, options.highlighter)
  const match = useMemo(() => {
    if (highlight === null) return null
    const { lineCount, rest } = matchHighlightedLines(highlight.lines, code)
    const styled = highlight.lines.slice(0, lineCount).some((line) => line.some(isStyled))
    return { lineCount, rest, styled }
  }, [highlight, code])

  useEffect(() => {
    if (copyState === 'idle') return
    const timer = setTimeout(() => setCopyState('idle'), 2000)
    return () => clearTimeout(timer)
  }, [copyState])

  const copy = () => {
    const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard
    if (clipboard === undefined) {
      setCopyState('failed')
      return
    }
    clipboard.writeText(code).then(
      () => setCopyState('copied'),
      () => setCopyState('failed'),
    )
  }

  const codeProps: Record<string, unknown> = { 'data-language': language }
  if (language !== '') codeProps.className = `language-${language}`
  let content: ReactNode = code
  if (highlight !== null && match !== null && match.lineCount > 0) {
    // The highlighted lines keep one element position (index 0) so new plain text never remounts them.
    content = [
      <HighlightedLines key="highlighted" lines={highlight.lines} lineCount={match.lineCount} />,
      match.rest,
    ]
    if (match.styled) codeProps['data-highlighted'] = match.rest === '' ? 'all' : 'partial'
  }
  return (
    <div data-markdown-code-block="">
      {/* Code reads left to right in any page. The button's and the code's own `dir` keep both
          out of the direction an answer takes from its first strong character. */}
      <button type="button" aria-label={words.copyCode} data-state={copyState} onClick={copy} dir="auto">
        {copyState === 'copied' ? words.copied : copyState === 'failed' ? words.failed : words.copy}
      </button>
      {renderElement(
        options.components,
        'pre',
        { dir: 'ltr' },
        renderElement(options.components, 'code', codeProps, content),
      )}
    </div>
  )
}
