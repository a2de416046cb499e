import { Fragment, memo, type ReactNode, useContext, useMemo, useRef } from 'react'
import { type MarkdownBlock, MarkdownDocument, type MarkdownGroup } from './markdown-document.ts'
import {
  type CodeHighlighter,
  type MarkdownComponents,
  MarkdownOptionsContext,
  type MarkdownRenderOptions,
  type MathRenderer,
} from './markdown-options.ts'
import { renderBlocks } from './render-tokens.tsx'
import { normalizeOrigin } from './sanitize-url.ts'

/** Props of {@link Markdown}. */
export interface MarkdownProps {
  /** The markdown text (untrusted model output). Grows while `streaming`. */
  children?: string | null | undefined
  /**
   * `true` while the text is still arriving: the last block is repaired (`**bo` shows bold,
   * half links and images wait) and its images are not requested. Default `false`.
   */
  streaming?: boolean
  /**
   * Origins (`https://cdn.example.com`) whose images load directly and whose links are treated
   * as trusted. Default: none. Images elsewhere show a placeholder with a "Load image" button;
   * links elsewhere still render (a link is only fetched when the user clicks it) but get
   * `rel="noopener noreferrer nofollow"`, `referrerpolicy="no-referrer"`, their full URL as a
   * tooltip and `data-markdown-link="external"`.
   */
  allowedOrigins?: readonly string[]
  /** Render `data:image/(png|jpeg|gif|webp|avif|bmp);base64,…` images. Default `false`. */
  allowDataImages?: boolean
  /** Replacement components per element (`a`, `p`, `code`, …), given sanitised props. */
  components?: MarkdownComponents
  /**
   * Syntax highlighter for code blocks (`createHighlighter()` from `@sluice/react/highlight`, or
   * your own); the finished lines of a streaming block are highlighted too. None by default
   * (plain text).
   */
  highlighter?: CodeHighlighter
  /**
   * Renders formulas (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`): `createMathRenderer()` from
   * `@sluice/react/math` (KaTeX, loaded lazily), or your own. Without it `$` is plain text. A
   * formula renders once its closing delimiter has arrived (an unfinished one shows as text);
   * currency such as "$5 and $10" is not math (pandoc's rule, see docs/math.md).
   */
  math?: MathRenderer
  /**
   * Shown after the last character while `streaming` (`ChatMessage` passes its caret): inside
   * the last paragraph, heading, list item or table cell, so it follows the text on its last line
   * in either direction; after a code block or a rule. Not rendered once streaming ends.
   */
  caret?: ReactNode
  className?: string
}

const MarkdownBlockView = memo(function MarkdownBlockView({
  block,
  caret,
}: {
  block: MarkdownBlock
  caret: ReactNode
}) {
  const options = useContext(MarkdownOptionsContext)
  return (
    <>{renderBlocks(block.tokens, { options, complete: block.complete, insideLink: false, caret }, true)}</>
  )
})

/**
 * One node of the block tree (see {@link MarkdownGroup}). Finished groups keep their identity, so
 * the memo skips them; an update re-renders only the groups on the path to the tail block.
 */
// The inner function has another name: inside a named function expression the name is the
// function itself, so `<MarkdownBlockGroup>` there would skip the memo and re-render every group.
const MarkdownBlockGroup = memo(function MarkdownBlockGroupView({
  group,
  caret,
}: {
  group: MarkdownGroup
  /** Only the group (and block) that ends the text gets it: the others keep their memo. */
  caret: ReactNode
}) {
  // Keys are block indexes (offsets): a block keeps its element (and state such as "Copied")
  // when the tail it was becomes final, because its place in the tree depends on its index only.
  if (group.kind === 'blocks') {
    const last = group.blocks.length - 1
    return group.blocks.map((block, index) => (
      <MarkdownBlockView
        // biome-ignore lint/suspicious/noArrayIndexKey: a block's index is its identity (content + index memo).
        key={group.offset + index}
        block={block}
        caret={index === last ? caret : undefined}
      />
    ))
  }
  const last = group.groups.length - 1
  return group.groups.map((child, index) => (
    <MarkdownBlockGroup key={child.offset} group={child} caret={index === last ? caret : undefined} />
  ))
})

function shallowEqual(first: object, second: object): boolean {
  const firstKeys = Object.keys(first)
  if (firstKeys.length !== Object.keys(second).length) return false
  return firstKeys.every(
    (key) => (first as Record<string, unknown>)[key] === (second as Record<string, unknown>)[key],
  )
}

/**
 * Renders untrusted, possibly still streaming markdown (GFM) as React elements.
 *
 * - Incremental: finished blocks are lexed once and never re-render; each update re-lexes only
 *   the last block, so the cost of a chunk does not grow with the length of the answer.
 * - Streaming-safe: incomplete syntax in the last block is repaired (remend); the final DOM
 *   equals a one-shot render of the final text.
 * - Secure: no raw HTML (shown as text), no `javascript:`/`vbscript:`/`data:` URLs in any
 *   encoding, no image requests to unlisted origins, links open with `rel="noopener noreferrer"`.
 *
 * The root is a `div` with `data-markdown` and `data-streaming` while streaming.
 *
 * @example
 * <Markdown streaming={message.status === 'streaming'} allowedOrigins={['https://cdn.example.com']}>
 *   {messageText(message)}
 * </Markdown>
 */
export function Markdown({
  children,
  streaming = false,
  allowedOrigins,
  allowDataImages = false,
  components,
  highlighter,
  math,
  caret,
  className,
}: MarkdownProps) {
  const documentRef = useRef<MarkdownDocument | null>(null)
  const mathEnabled = math !== undefined
  const documentMathRef = useRef(mathEnabled)
  // Formulas change how text is lexed: turning math on or off starts the document over.
  if (documentRef.current === null || documentMathRef.current !== mathEnabled) {
    documentRef.current = new MarkdownDocument({ math: mathEnabled })
    documentMathRef.current = mathEnabled
  }
  const view = documentRef.current.update(children ?? '', streaming)

  // Inline arrays and objects are common in props; compare by content so blocks do not re-render.
  const originsKey = allowedOrigins === undefined ? '' : allowedOrigins.join('\n')
  const componentsRef = useRef<MarkdownComponents>(components ?? {})
  if (components !== undefined && !shallowEqual(componentsRef.current, components))
    componentsRef.current = components
  if (components === undefined && Object.keys(componentsRef.current).length > 0) componentsRef.current = {}
  const stableComponents = componentsRef.current
  const options = useMemo<MarkdownRenderOptions>(() => {
    const origins = new Set<string>()
    for (const entry of originsKey === '' ? [] : originsKey.split('\n')) {
      const origin = normalizeOrigin(entry)
      if (origin !== null) origins.add(origin)
    }
    return { allowedOrigins: origins, allowDataImages, components: stableComponents, highlighter, math }
  }, [originsKey, allowDataImages, stableComponents, highlighter, math])

  // Keyed once: it sits among the rendered blocks' children.
  // The same element while it is the same caret: blocks that do not end the text keep their memo.
  const caretNode = useMemo(
    () => (streaming && caret !== undefined ? <Fragment key="sluice-caret">{caret}</Fragment> : undefined),
    [streaming, caret],
  )
  const rootProps: Record<string, string> = { 'data-markdown': '' }
  if (streaming) rootProps['data-streaming'] = 'true'
  return (
    <MarkdownOptionsContext.Provider value={options}>
      <div className={className} {...rootProps}>
        {view.groups.map((group, index) => (
          <MarkdownBlockGroup
            key={group.offset}
            group={group}
            caret={index === view.groups.length - 1 ? caretNode : undefined}
          />
        ))}
        {view.groups.length === 0 ? caretNode : null}
      </div>
    </MarkdownOptionsContext.Provider>
  )
}
