import { type ReactNode, useContext, useEffect, useState } from 'react'
import { type HighlightedToken, MarkdownOptionsContext } from './markdown-options.ts'
import { renderElement } from './render-element.ts'

/** Props of {@link CodeBlock}. */
export interface CodeBlockProps {
  code: string
  /** The first word of the fence's info string (`ts` in ```` ```ts ````), or `''`. */
  language: string
  /** `false` while the block is the streaming tail: highlighting waits until it is complete. */
  complete: boolean
}

type CopyState = 'idle' | 'copied' | 'failed'

function renderHighlighted(lines: readonly (readonly HighlightedToken[])[]): ReactNode[] {
  const children: ReactNode[] = []
  lines.forEach((line, lineIndex) => {
    if (lineIndex > 0) children.push('\n')
    line.forEach((token, tokenIndex) => {
      const style = token.color === undefined || token.color === '' ? undefined : { color: token.color }
      children.push(
        // biome-ignore lint/suspicious/noArrayIndexKey: line and column are the identity of a highlighted piece.
        <span key={`${lineIndex}:${tokenIndex}`} className={token.className} style={style}>
          {token.content}
        </span>,
      )
    })
  })
  return children
}

/**
 * A fenced or indented code block: `<pre><code data-language>` with a "Copy code" button.
 * Highlighting (if a `highlighter` is configured) starts only once the block is complete and
 * never blocks rendering: plain text shows until the highlighter resolves, and a stale result
 * (the code changed meanwhile) is dropped.
 *
 * @example
 * <CodeBlock code={'const a = 1'} language="ts" complete />
 */
export function CodeBlock({ code, language, complete }: CodeBlockProps) {
  const options = useContext(MarkdownOptionsContext)
  const [copyState, setCopyState] = useState<CopyState>('idle')
  const [highlighted, setHighlighted] = useState<{
    code: string
    lines: readonly (readonly HighlightedToken[])[]
  } | null>(null)
  const highlighter = options.highlighter

  useEffect(() => {
    if (!complete || highlighter === undefined) return
    let cancelled = false
    // A microtask boundary so a synchronous highlighter cannot delay the commit of the stream.
    Promise.resolve()
      .then(() => highlighter(code, language))
      .then(
        (lines) => {
          if (!cancelled) setHighlighted({ code, lines })
        },
        () => {
          // A failing highlighter leaves the plain text, which is already correct.
        },
      )
    return () => {
      cancelled = true
    }
  }, [code, language, complete, highlighter])

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

  const content =
    highlighted !== null && highlighted.code === code ? renderHighlighted(highlighted.lines) : code
  const codeProps: Record<string, unknown> = { 'data-language': language }
  if (language !== '') codeProps.className = `language-${language}`
  if (highlighted !== null && highlighted.code === code) codeProps['data-highlighted'] = ''
  return (
    <div data-markdown-code-block="">
      <button type="button" aria-label="Copy code" data-state={copyState} onClick={copy}>
        {copyState === 'copied' ? 'Copied' : copyState === 'failed' ? 'Copy failed' : 'Copy'}
      </button>
      {renderElement(
        options.components,
        'pre',
        {},
        renderElement(options.components, 'code', codeProps, content),
      )}
    </div>
  )
}
