/**
 * `@sluice/react/highlight.css` follows the theme's cascade strategy (docs/theming.md): no layer,
 * zero-specificity custom properties, one attribute per token rule. Computed colours in Chromium
 * prove that a reset injected after it cannot strip the token colours (a layered stylesheet loses
 * to any unlayered rule), and that an app's `:root { --sluice-code-… }` wins even when it comes
 * before the stylesheet.
 */
import { afterEach, describe, expect, test } from 'vitest'
import { render } from 'vitest-browser-react'
import { ChatMessage } from '../../packages/react/src/components/chat-message.tsx'
import type { CodeHighlighter } from '../../packages/react/src/markdown/markdown-options.ts'
import '../../packages/react/src/theme.css'
import '../../packages/react/src/highlight/highlight.css'
import { makeMessage, text } from './components/helpers.ts'

/** "The New CSS Reset" (elad2412): every element's properties unset, at zero specificity. */
const newCssReset = `*:where(:not(html, iframe, canvas, img, svg, video, audio):not(svg *, symbol *)) { all: unset; display: revert; }`
/** A reset that makes every element inherit its text styles. */
const inheritReset = `* { color: inherit; font-weight: inherit; font-style: inherit; }`

const highlighter: CodeHighlighter = async (source) =>
  source.split('\n').map((line) => {
    const [first = '', ...rest] = line.split(' ')
    return [{ content: first, className: 'hljs-keyword' }, { content: ` ${rest.join(' ')}` }]
  })

const message = makeMessage('a1', 'complete', [text('t', '```ts\nconst river = "Seine"\n```')])
const styles: HTMLStyleElement[] = []

function addStyle(css: string, where: 'before' | 'after') {
  const style = document.createElement('style')
  style.textContent = css
  if (where === 'before') document.head.prepend(style)
  else document.head.append(style)
  styles.push(style)
}

afterEach(() => {
  for (const style of styles.splice(0)) style.remove()
})

async function keywordColor(): Promise<string> {
  const screen = await render(
    <div data-theme="light">
      <ChatMessage message={message} markdown={{ highlighter }} />
    </div>,
  )
  const keyword = () => screen.container.querySelector('[data-markdown-code-block] .hljs-keyword')
  await expect.poll(() => keyword() !== null).toBe(true)
  return getComputedStyle(keyword() as Element).color
}

describe.each([
  { name: 'no page CSS', css: '' },
  { name: 'the New CSS Reset, after the stylesheet', css: newCssReset },
  { name: 'an inherit-everything reset, after the stylesheet', css: inheritReset },
])('highlight.css under $name', ({ css }) => {
  test('a keyword keeps the light theme colour (#cf222e)', async () => {
    if (css !== '') addStyle(css, 'after')
    expect(await keywordColor()).toBe('rgb(207, 34, 46)')
  })

  test("the app's :root custom property wins even when it comes first", async () => {
    if (css !== '') addStyle(css, 'after')
    addStyle(':root { --sluice-code-keyword: rgb(1, 2, 3); }', 'before')
    // data-theme="light" sets the light palette on the wrapper: override there too, as an app would.
    addStyle('[data-theme="light"] { --sluice-code-keyword: rgb(1, 2, 3); }', 'before')
    expect(await keywordColor()).toBe('rgb(1, 2, 3)')
  })
})
