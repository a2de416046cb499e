/**
 * A `<Markdown>` on its own (the Next.js example's Server Component renders one above the chat)
 * gets the theme's font, size and start-aligned text under a page that sets a serif font and
 * centres text, while a `Markdown` inside a reasoning block keeps that block's smaller text.
 */
import { afterEach, expect, test } from 'vitest'
import { render } from 'vitest-browser-react'
import { ChatMessage } from '../../packages/react/src/components/chat-message.tsx'
import { Markdown } from '../../packages/react/src/markdown/markdown.tsx'
import '../../packages/react/src/theme.css'
import { makeMessage } from './components/helpers.ts'

const pageCss = `body { font-family: Georgia, serif; font-size: 20px; text-align: center; color: rgb(200, 0, 0); }`
let style: HTMLStyleElement | undefined

afterEach(() => style?.remove())

function addPageCss() {
  style = document.createElement('style')
  style.textContent = pageCss
  document.head.append(style)
}

test('a standalone Markdown uses the theme font, size and colour, and starts at the start', async () => {
  addPageCss()
  const screen = await render(
    <div data-theme="light">
      <Markdown>{'Ask me anything. The **provider key** stays on the server.'}</Markdown>
    </div>,
  )
  const root = screen.container.querySelector('[data-markdown]')
  expect(root).not.toBeNull()
  const computed = getComputedStyle(root as Element)
  expect(computed.fontFamily).toContain('system-ui')
  expect(computed.fontSize).toBe('15px') // --sluice-font-size: 0.9375rem
  expect(computed.textAlign).toBe('start')
  expect(computed.color).toBe('rgb(26, 28, 30)') // --sluice-foreground, light
})

test('a Markdown inside a reasoning block keeps the block’s smaller text', async () => {
  addPageCss()
  // Reasoning that is still streaming is open, so its content is rendered.
  const message = makeMessage('a1', 'streaming', [
    { type: 'reasoning', id: 'r', text: 'Thinking about **rivers**.', state: 'streaming' },
  ])
  const screen = await render(
    <div data-theme="light">
      <ChatMessage message={message} />
    </div>,
  )
  const markdown = () => screen.container.querySelector('[data-sluice="reasoning-content"] [data-markdown]')
  await expect.poll(() => markdown() !== null).toBe(true)
  expect(getComputedStyle(markdown() as Element).fontSize).toBe('14px') // reasoning-content: 0.875rem
})
