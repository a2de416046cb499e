import type { Token, Tokens } from 'marked'
import type { ReactNode } from 'react'
import { CodeBlock } from './code-block.tsx'
import { decodeEntities } from './decode-entities.ts'
import { MarkdownImage } from './markdown-image.tsx'
import type { MarkdownRenderOptions } from './markdown-options.ts'
import { MathFormula } from './math-formula.tsx'
import type { MathToken } from './math-syntax.ts'
import type { OpenFormulaToken } from './open-formula.ts'
import { renderElement } from './render-element.ts'
import { INCOMPLETE_LINK_URL } from './repair-markdown.ts'
import { sanitizeUrl } from './sanitize-url.ts'

/** What rendering a token depends on besides the token. */
export interface RenderContext {
  readonly options: MarkdownRenderOptions
  /** `false` for the streaming tail block. */
  readonly complete: boolean
  readonly insideLink: boolean
  /**
   * Rendered after the last character of these tokens (the streaming caret): inside the last
   * paragraph, heading, list item or table cell, so it sits on the text's last line, on the side
   * its direction ends. Keyed by whoever made it.
   */
  readonly caret?: ReactNode
}

/** The index of the last token that shows something (trailing blank lines and definitions do not). */
function lastShownIndex(tokens: readonly Token[]): number {
  for (let index = tokens.length - 1; index >= 0; index--) {
    const type = tokens[index]!.type
    if (type !== 'space' && type !== 'def') return index
  }
  return -1
}

/** The context without a caret: for every token but the one that ends the text. */
function withoutCaret(context: RenderContext): RenderContext {
  return context.caret === undefined ? context : { ...context, caret: undefined }
}

const HEADING_TAGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const

/**
 * Renders inline tokens to React nodes. marked HTML-escapes inline text in its tokens; every
 * string is decoded back ({@link decodeEntities}) and handed to React as text, which escapes it
 * again, so no token can ever become markup. Raw HTML (`html` tokens) is shown as text.
 *
 * @example
 * renderInline(lexer.inlineTokens('**bold** <b>'), context) // [<strong>bold</strong>, ' ', '<b>']
 */
export function renderInline(tokens: readonly Token[] | undefined, context: RenderContext): ReactNode[] {
  if (tokens === undefined) return []
  return tokens.map((token, index) => renderInlineToken(token, index, context))
}

function renderInlineToken(token: Token, key: number, context: RenderContext): ReactNode {
  const components = context.options.components
  switch (token.type) {
    case 'text': {
      const text = token as Tokens.Text
      return text.tokens !== undefined ? renderInline(text.tokens, context) : decodeEntities(text.text)
    }
    case 'escape':
      return decodeEntities((token as Tokens.Escape).text)
    case 'strong':
      return renderElement(
        components,
        'strong',
        { key },
        ...renderInline((token as Tokens.Strong).tokens, context),
      )
    case 'em':
      return renderElement(components, 'em', { key }, ...renderInline((token as Tokens.Em).tokens, context))
    case 'del':
      return renderElement(components, 'del', { key }, ...renderInline((token as Tokens.Del).tokens, context))
    case 'codespan':
      return renderElement(components, 'code', { key }, decodeEntities((token as Tokens.Codespan).text))
    case 'br':
      return renderElement(components, 'br', { key })
    case 'link':
      return renderLink(token as Tokens.Link, key, context)
    case 'image': {
      const image = token as Tokens.Image
      return (
        <MarkdownImage
          key={key}
          href={image.href}
          alt={decodeEntities(image.text)}
          title={image.title === null || image.title === undefined ? null : decodeEntities(image.title)}
          complete={context.complete}
          insideLink={context.insideLink}
        />
      )
    }
    case 'html':
      // Raw HTML from the model is untrusted: it is shown as the text it is, never parsed.
      return (token as Tokens.HTML).text
    case 'math': {
      const math = token as MathToken
      return <MathFormula key={key} tex={math.text} raw={math.raw} display={math.display} />
    }
    case 'math-open':
      // A formula still waiting for its closing delimiter (streaming): its text, no formula inside.
      return (
        <span key={key} data-math="text">
          {renderInline((token as OpenFormulaToken).tokens, context)}
        </span>
      )
    default:
      return token.raw
  }
}

function renderLink(link: Tokens.Link, key: number, context: RenderContext): ReactNode {
  const options = context.options
  const children = renderInline(link.tokens, { ...context, insideLink: true })
  if (link.href === INCOMPLETE_LINK_URL) {
    // remend's stand-in for a destination that is still streaming: text now, a link once complete.
    return (
      <span key={key} data-markdown-link="pending">
        {children}
      </span>
    )
  }
  const safe = sanitizeUrl(link.href, { purpose: 'link' })
  if (safe === null) {
    return (
      <span key={key} data-markdown-link="blocked">
        {children}
      </span>
    )
  }
  const external = safe.origin !== null && !options.allowedOrigins.has(safe.origin)
  const props: Record<string, unknown> = {
    key,
    href: safe.url,
    target: '_blank',
    // An unlisted origin also gets nofollow and no referrer; the full URL shows as a tooltip so
    // link text cannot hide where it goes.
    rel: external ? 'noopener noreferrer nofollow' : 'noopener noreferrer',
    'data-markdown-link': external ? 'external' : 'allowed',
  }
  if (external) props.referrerPolicy = 'no-referrer'
  if (link.title !== null && link.title !== undefined && link.title !== '') {
    props.title = decodeEntities(link.title)
  } else if (external) {
    props.title = safe.url
  }
  return renderElement(options.components, 'a', props, ...children)
}

/**
 * Renders block tokens. `top` is marked's notion of a top-level context: bare `text` tokens
 * (tight list items) become paragraphs only when `top`, exactly like marked's own renderer.
 *
 * @example
 * renderBlocks(marked.lexer('# Hi\n\ntext'), context, true) // [<h1>Hi</h1>, <p>text</p>]
 */
export function renderBlocks(tokens: readonly Token[], context: RenderContext, top: boolean): ReactNode[] {
  const components = context.options.components
  const nodes: ReactNode[] = []
  const inner = withoutCaret(context)
  const host = context.caret === undefined ? -1 : lastShownIndex(tokens)
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!
    if (token.type === 'text') {
      // Consecutive text tokens are one run of text, joined by line breaks (marked's parser).
      const run: ReactNode[] = renderInline(textTokens(token as Tokens.Text), inner)
      while (tokens[index + 1]?.type === 'text') {
        index++
        run.push('\n', ...renderInline(textTokens(tokens[index] as Tokens.Text), inner))
      }
      if (index === host) run.push(context.caret)
      nodes.push(top ? renderElement(components, 'p', { key: index }, ...run) : run)
      continue
    }
    nodes.push(renderBlock(token, index, index === host ? context : inner))
  }
  // Nothing shown to follow (blank lines only): the caret still shows, where the text will go on.
  if (context.caret !== undefined && host === -1) nodes.push(context.caret)
  return nodes
}

function textTokens(token: Tokens.Text): Token[] {
  return token.tokens ?? [{ type: 'text', raw: token.raw, text: token.text }]
}

function renderBlock(token: Token, key: number, context: RenderContext): ReactNode {
  const components = context.options.components
  switch (token.type) {
    case 'space':
    case 'def':
      return null
    case 'paragraph':
      return renderElement(
        components,
        'p',
        { key },
        ...renderInline((token as Tokens.Paragraph).tokens, context),
        context.caret,
      )
    case 'heading': {
      const heading = token as Tokens.Heading
      const tag = HEADING_TAGS[Math.min(Math.max(heading.depth, 1), 6) - 1] ?? 'h6'
      return renderElement(components, tag, { key }, ...renderInline(heading.tokens, context), context.caret)
    }
    case 'code': {
      const code = token as Tokens.Code
      const language = decodeEntities((code.lang ?? '').trim().split(/\s/)[0] ?? '')
      const block = <CodeBlock key={key} code={code.text} language={language} complete={context.complete} />
      // After the block (the code's own text stays exactly the code).
      return context.caret === undefined ? block : [block, context.caret]
    }
    case 'blockquote':
      return renderElement(
        components,
        'blockquote',
        { key },
        ...renderBlocks((token as Tokens.Blockquote).tokens, context, true),
      )
    case 'list':
      return renderList(token as Tokens.List, key, context)
    case 'table':
      return renderTable(token as Tokens.Table, key, context)
    case 'hr': {
      const rule = renderElement(components, 'hr', { key })
      return context.caret === undefined ? rule : [rule, context.caret]
    }
    case 'html':
      // Block-level raw HTML is shown as text; nothing in it is parsed or executed.
      return renderElement(
        components,
        'p',
        { key, 'data-markdown-html': '' },
        (token as Tokens.HTML).text.trimEnd(),
        context.caret,
      )
    default:
      return renderElement(components, 'p', { key }, token.raw, context.caret)
  }
}

function renderList(list: Tokens.List, key: number, context: RenderContext): ReactNode {
  const components = context.options.components
  const inner = withoutCaret(context)
  const last = list.items.length - 1
  const items = list.items.map((item, index) => {
    const body = renderBlocks(item.tokens, index === last ? context : inner, item.loose)
    if (item.task) {
      const checkbox = renderElement(components, 'input', {
        key: 'checkbox',
        type: 'checkbox',
        checked: item.checked === true,
        disabled: true,
        readOnly: true,
        'aria-label': 'Task',
      })
      body.unshift(checkbox, ' ')
    }
    return renderElement(components, 'li', { key: index }, ...body)
  })
  const props: Record<string, unknown> = { key }
  if (list.ordered && typeof list.start === 'number' && list.start !== 1) props.start = list.start
  return renderElement(components, list.ordered ? 'ol' : 'ul', props, ...items)
}

function renderTable(table: Tokens.Table, key: number, context: RenderContext): ReactNode {
  const components = context.options.components
  const cellProps = (column: number, cellKey: number): Record<string, unknown> => {
    const align = table.align[column]
    return align === null || align === undefined
      ? { key: cellKey }
      : { key: cellKey, style: { textAlign: align } }
  }
  const header = renderElement(
    components,
    'tr',
    {},
    ...table.header.map((cell, column) =>
      renderElement(
        components,
        'th',
        cellProps(column, column),
        ...renderInline(cell.tokens, context),
        table.rows.length === 0 && column === table.header.length - 1 ? context.caret : undefined,
      ),
    ),
  )
  const rows = table.rows.map((row, rowIndex) =>
    renderElement(
      components,
      'tr',
      { key: rowIndex },
      ...row.map((cell, column) =>
        renderElement(
          components,
          'td',
          cellProps(column, column),
          ...renderInline(cell.tokens, context),
          // The caret ends the last cell of the last row.
          rowIndex === table.rows.length - 1 && column === row.length - 1 ? context.caret : undefined,
        ),
      ),
    ),
  )
  const sections: ReactNode[] = [renderElement(components, 'thead', { key: 'head' }, header)]
  if (rows.length > 0) sections.push(renderElement(components, 'tbody', { key: 'body' }, ...rows))
  return renderElement(components, 'table', { key }, ...sections)
}
