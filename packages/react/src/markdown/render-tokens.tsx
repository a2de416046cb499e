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
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!
    if (token.type === 'text') {
      // Consecutive text tokens are one run of text, joined by line breaks (marked's parser).
      const run: ReactNode[] = renderInline(textTokens(token as Tokens.Text), context)
      while (tokens[index + 1]?.type === 'text') {
        index++
        run.push('\n', ...renderInline(textTokens(tokens[index] as Tokens.Text), context))
      }
      nodes.push(top ? renderElement(components, 'p', { key: index }, ...run) : run)
      continue
    }
    nodes.push(renderBlock(token, index, context))
  }
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
      )
    case 'heading': {
      const heading = token as Tokens.Heading
      const tag = HEADING_TAGS[Math.min(Math.max(heading.depth, 1), 6) - 1] ?? 'h6'
      return renderElement(components, tag, { key }, ...renderInline(heading.tokens, context))
    }
    case 'code': {
      const code = token as Tokens.Code
      const language = decodeEntities((code.lang ?? '').trim().split(/\s/)[0] ?? '')
      return <CodeBlock key={key} code={code.text} language={language} complete={context.complete} />
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
    case 'hr':
      return renderElement(components, 'hr', { key })
    case 'html':
      // Block-level raw HTML is shown as text; nothing in it is parsed or executed.
      return renderElement(
        components,
        'p',
        { key, 'data-markdown-html': '' },
        (token as Tokens.HTML).text.trimEnd(),
      )
    default:
      return renderElement(components, 'p', { key }, token.raw)
  }
}

function renderList(list: Tokens.List, key: number, context: RenderContext): ReactNode {
  const components = context.options.components
  const items = list.items.map((item, index) => {
    const body = renderBlocks(item.tokens, context, item.loose)
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
      renderElement(components, 'th', cellProps(column, column), ...renderInline(cell.tokens, context)),
    ),
  )
  const rows = table.rows.map((row, rowIndex) =>
    renderElement(
      components,
      'tr',
      { key: rowIndex },
      ...row.map((cell, column) =>
        renderElement(components, 'td', cellProps(column, column), ...renderInline(cell.tokens, context)),
      ),
    ),
  )
  const sections: ReactNode[] = [renderElement(components, 'thead', { key: 'head' }, header)]
  if (rows.length > 0) sections.push(renderElement(components, 'tbody', { key: 'body' }, ...rows))
  return renderElement(components, 'table', { key }, ...sections)
}
