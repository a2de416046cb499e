/**
 * The default theme under the stylesheets apps really start from, each injected after
 * `theme.css` (the worst order for the theme): computed styles in Chromium prove that a reset
 * or template CSS cannot undo the bubbles' padding, code blocks' line breaks, the theme's font
 * on standalone components, start-aligned text, list bullets, table borders, the Copy bar and
 * the compact actions, and that the quick start's layout still fits the window.
 */
import { createChat, type Message, type ToolCallPart } from '@sluice/core'
import { afterEach, describe, expect, test } from 'vitest'
import { page } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { makeMessage, text } from '../../../test/browser/components/helpers.ts'
import { ChatLayout } from './components/chat-layout.tsx'
import { ChatMessage } from './components/chat-message.tsx'
import { Composer } from './components/composer.tsx'
import { MessageList } from './components/message-list.tsx'
import { ToolCallCard } from './components/tool-call-card.tsx'
import type { CodeHighlighter } from './markdown/markdown-options.ts'
import './theme.css'

/** create-next-app's `app/globals.css` (the template without Tailwind). */
const nextGlobals = `
:root { --background: #ffffff; --foreground: #171717; }
html, body { max-width: 100vw; overflow-x: hidden; }
body { color: var(--foreground); background: var(--background); font-family: Arial, Helvetica, sans-serif; }
* { box-sizing: border-box; padding: 0; margin: 0; }
a { color: inherit; text-decoration: none; }
`

/** create-vite's React template `src/index.css`, with the button rules of its earlier versions. */
const viteTemplate = `
:root {
  --text: #6b6375; --text-h: #08060d; --bg: #fff; --border: #e5e4e7; --code-bg: #f4f3ec;
  --sans: system-ui, 'Segoe UI', Roboto, sans-serif; --mono: ui-monospace, Consolas, monospace;
  font: 18px/145% var(--sans); letter-spacing: 0.18px; color-scheme: light dark;
  color: var(--text); background: var(--bg);
}
#root {
  width: 1126px; max-width: 100%; margin: 0 auto; text-align: center;
  border-inline: 1px solid var(--border); min-height: 100svh;
  display: flex; flex-direction: column; box-sizing: border-box;
}
body { margin: 0; }
h1, h2 { font-weight: 500; color: var(--text-h); }
h1 { font-size: 56px; letter-spacing: -1.68px; margin: 32px 0; }
h2 { font-size: 24px; line-height: 118%; letter-spacing: -0.24px; margin: 0 0 8px; }
p { margin: 0; }
code, .counter { font-family: var(--mono); display: inline-flex; border-radius: 4px; color: var(--text-h); }
code { font-size: 15px; line-height: 135%; padding: 4px 8px; background: var(--code-bg); }
button {
  border-radius: 8px; border: 1px solid transparent; padding: 0.6em 1.2em; font-size: 1em;
  font-weight: 500; font-family: inherit; background-color: #1a1a1a; cursor: pointer;
}
button:hover { border-color: #646cff; }
button:focus, button:focus-visible { outline: 4px auto -webkit-focus-ring-color; }
`

/** The well-known rules of Tailwind's preflight (v4 wraps them in `@layer base`; v3 does not). */
const preflightRules = `
*, ::after, ::before, ::backdrop, ::file-selector-button { box-sizing: border-box; margin: 0; padding: 0; border: 0 solid; }
html, :host { line-height: 1.5; -webkit-text-size-adjust: 100%; tab-size: 4; font-family: ui-sans-serif, system-ui, sans-serif; }
hr { height: 0; color: inherit; border-top-width: 1px; }
h1, h2, h3, h4, h5, h6 { font-size: inherit; font-weight: inherit; }
a { color: inherit; text-decoration: inherit; }
b, strong { font-weight: bolder; }
code, kbd, samp, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 1em; }
table { text-indent: 0; border-color: inherit; border-collapse: collapse; }
ol, ul, menu { list-style: none; }
img, svg, video, canvas, audio, iframe, embed, object { display: block; vertical-align: middle; }
img, video { max-width: 100%; height: auto; }
button, input, select, optgroup, textarea, ::file-selector-button {
  font: inherit; letter-spacing: inherit; color: inherit; border-radius: 0; background-color: transparent; opacity: 1;
}
::placeholder { opacity: 1; }
textarea { resize: vertical; }
button, input:where([type='button'], [type='reset'], [type='submit']), ::file-selector-button { appearance: button; }
[hidden]:where(:not([hidden='until-found'])) { display: none !important; }
`

const pages: { name: string; css: string }[] = [
  { name: 'the browser defaults (a serif page)', css: '' },
  { name: "Next.js's globals.css", css: nextGlobals },
  { name: "the Vite template's index.css", css: viteTemplate },
  {
    name: 'a Tailwind v4 preflight (@layer base)',
    css: `@layer theme, base, components, utilities;\n@layer base {${preflightRules}}`,
  },
  { name: 'a Tailwind v3 preflight (unlayered)', css: preflightRules },
]

const code = 'const a = 1\nconst b = 2\nexport { a, b }'

/** Splits every line into a styled first word and the plain rest, as a real highlighter does. */
const highlighter: CodeHighlighter = async (source) =>
  source.split('\n').map((line) => {
    const [first = '', ...rest] = line.split(' ')
    return [
      { content: first, className: 'hljs-keyword' },
      { content: rest.length > 0 ? ` ${rest.join(' ')}` : '' },
    ]
  })

const answer = [
  '## Rivers',
  '',
  'The **Seine** flows through Paris; see `seine.json`.',
  '',
  'A second paragraph.',
  '',
  '- one',
  '- two',
  '',
  '| River | Length |',
  '| ----- | -----: |',
  '| Seine | 777 km |',
  '',
  '```ts',
  code,
  '```',
].join('\n')

const tool: ToolCallPart = {
  type: 'tool-call',
  toolCallId: 'call-1',
  toolName: 'get_weather',
  state: 'output-available',
  inputText: '{"city":"Paris"}',
  input: { city: 'Paris' },
  output: { temperature: 21 },
}

const userMessage: Message = { ...makeMessage('u1', 'complete', [text('t', 'Which rivers?')]), role: 'user' }
const assistantMessage = makeMessage('a1', 'complete', [text('t', answer)])

let style: HTMLStyleElement | undefined
let root: HTMLElement | undefined

/** A page with `#root` (the templates style it) and the page's CSS after the theme. */
function preparePage(css: string): HTMLElement {
  style = document.createElement('style')
  style.textContent = css
  document.head.append(style)
  root = document.createElement('div')
  root.id = 'root'
  document.body.append(root)
  return root
}

afterEach(() => {
  style?.remove()
  root?.remove()
})

function computed(element: Element | null | undefined): CSSStyleDeclaration {
  if (element === null || element === undefined) throw new Error('The element to measure is missing.')
  return getComputedStyle(element)
}

describe.each(pages)('the theme under $name', ({ css }) => {
  test('bubbles keep their padding, code its lines, components the theme font, text starts at the start', async () => {
    await page.viewport(1024, 768)
    const container = preparePage(css)
    const screen = await render(
      <>
        <ChatMessage message={userMessage} />
        <ChatMessage message={assistantMessage} markdown={{ highlighter }} onRegenerate={() => {}} />
        <ToolCallCard part={tool} defaultOpen />
      </>,
      { container },
    )
    const query = <T extends Element = HTMLElement>(selector: string) =>
      screen.container.querySelector<T & Element>(selector)

    // The user's bubble: padding, background, radius.
    // Sizes are in rem: a template may set the root's font size (Vite's is 18px), which scales them.
    const rem = Number.parseFloat(getComputedStyle(document.documentElement).fontSize)
    const pixels = (value: string) => Number.parseFloat(value) / rem
    const bubble = computed(query('[data-role="user"] [data-sluice="message-content"]'))
    expect([pixels(bubble.paddingTop), pixels(bubble.paddingLeft)]).toEqual([0.5, 0.875])
    expect(bubble.backgroundColor).toBe('rgb(232, 240, 254)')
    expect(pixels(bubble.borderTopLeftRadius)).toBe(0.75)

    // The theme's font on the message and on a tool card rendered on its own, not the page's.
    for (const selector of ['[data-sluice="message"]', '[data-sluice="tool-call-card"]']) {
      expect(computed(query(selector)).fontFamily).toMatch(/^system-ui/)
      expect(computed(query(selector)).textAlign).toBe('start')
    }
    expect(computed(query('[data-sluice="tool-call-trigger"]')).fontFamily).toMatch(/^system-ui/)

    // Markdown: paragraphs spaced, headings larger than text, bullets, start-aligned text.
    const paragraphs = screen.container.querySelectorAll('[data-markdown] > p')
    expect(Number.parseFloat(computed(paragraphs[1]).marginTop)).toBeGreaterThan(4)
    expect(computed(paragraphs[0]).textAlign).toBe('start')
    expect(Number.parseFloat(computed(query('[data-markdown] h2')).fontSize)).toBeGreaterThan(
      Number.parseFloat(computed(paragraphs[0]).fontSize) * 1.2,
    )
    expect(computed(query('[data-markdown] ul')).listStyleType).toBe('disc')
    expect(Number.parseFloat(computed(query('[data-markdown] ul')).paddingInlineStart)).toBeGreaterThan(10)
    const inlineCode = computed(query('[data-markdown] p code'))
    expect(inlineCode.display).toBe('inline')
    expect(inlineCode.fontFamily).toMatch(/^ui-monospace/)

    // Tables: bordered, padded cells, shaded header; the right-aligned column keeps its alignment.
    const cell = computed(query('[data-markdown] td'))
    expect([cell.borderTopWidth, cell.borderTopStyle]).toEqual(['1px', 'solid'])
    expect(cell.paddingLeft).not.toBe('0px')
    expect(computed(query('[data-markdown] th')).backgroundColor).toBe('rgb(245, 246, 247)')
    expect(computed(query('[data-markdown] tr td:last-child')).textAlign).toBe('right')

    // Highlighted code keeps one line per line (an inline-flex `code` lays them on one row).
    await expect.poll(() => query('pre code')?.getAttribute('data-highlighted')).toBe('all')
    const codeElement = query('pre code')
    expect(computed(codeElement).display).toBe('block')
    const lineTops = new Set(
      [...(codeElement?.querySelectorAll('span') ?? [])].map((span) =>
        Math.round(span.getBoundingClientRect().top),
      ),
    )
    expect(lineTops.size).toBe(3)
    expect(computed(query('pre')).whiteSpace).toBe('pre')

    // The code block's Copy button: a small quiet button, not the page's (or the browser's) button.
    const copyCode = computed(query('button[aria-label="Copy code"]'))
    expect(pixels(copyCode.paddingLeft)).toBe(0.5)
    expect(copyCode.backgroundColor).toBe('rgba(0, 0, 0, 0)')
    expect(pixels(copyCode.fontSize)).toBe(0.75)
    expect(copyCode.fontFamily).toMatch(/^system-ui/)

    // The message actions: 32 px icon buttons whose icons show (a preflight makes svg `block`).
    const actions = screen.container.querySelector<HTMLElement>(
      '[data-role="assistant"] [data-sluice="message-actions"]',
    )
    for (const name of ['Copy', 'Regenerate']) {
      const button = [...(actions?.querySelectorAll('button') ?? [])].find(
        (element) => element.getAttribute('aria-label') === name,
      )
      if (button === undefined) throw new Error(`No ${name} button in the assistant message's actions.`)
      const box = button.getBoundingClientRect()
      expect([box.width / rem, box.height / rem]).toEqual([2, 2])
      const icon = button.querySelector('svg')
      expect(icon?.getAttribute('aria-hidden')).toBe('true')
      expect((icon?.getBoundingClientRect().width ?? 0) / rem).toBe(1)
      expect(computed(button).backgroundColor).toBe('rgba(0, 0, 0, 0)')
    }
  })

  test('the quick start layout fits the window: the list scrolls inside, the composer stays in view', async () => {
    await page.viewport(1024, 768)
    const container = preparePage(css)
    const chat = createChat({
      api: '/api/chat',
      protocol: 'openai-chat',
      initialMessages: Array.from({ length: 80 }, (_, index) => ({
        ...makeMessage(`m${index}`, 'complete', [
          text('t', `Message ${index}: ${'lorem ipsum '.repeat(20)}`),
        ]),
        role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
      })),
    })
    const screen = await render(
      <ChatLayout>
        <MessageList chat={chat} />
        <Composer chat={chat} />
      </ChatLayout>,
      { container },
    )
    const viewport = screen.container.querySelector<HTMLElement>('[data-sluice="message-list-viewport"]')
    const composer = screen.container.querySelector<HTMLElement>('[data-sluice="composer"]')
    await expect.poll(() => viewport?.scrollHeight ?? 0).toBeGreaterThan((viewport?.clientHeight ?? 0) * 3)
    expect(composer?.getBoundingClientRect().bottom).toBeLessThanOrEqual(window.innerHeight)
    expect(document.documentElement.scrollHeight).toBeLessThanOrEqual(window.innerHeight)
    expect(computed(screen.getByRole('textbox', { name: 'Message' }).element()).fontFamily).toMatch(
      /^system-ui/,
    )
    const send = computed(screen.getByRole('button', { name: 'Send' }).element())
    expect(send.backgroundColor).toBe('rgb(26, 95, 208)')
    expect(send.fontWeight).toBe('600')
  })
})
