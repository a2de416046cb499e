/**
 * Mixed directions in Chromium: text takes its own direction, not the page's. An English answer
 * in a right-to-left app reads left to right (and its "!" stays at its end); an Arabic answer in
 * a left-to-right app reads right to left; each paragraph of a mixed answer is its own; code and
 * formulas stay left to right and do not decide the answer's direction. Measured with
 * getBoundingClientRect on the characters themselves.
 */
import type { Message } from '@sluice/core'
import { describe, expect, test } from 'vitest'
import { page, userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { ChatMessage } from '../../../packages/react/src/components/chat-message.tsx'
import { Composer } from '../../../packages/react/src/components/composer.tsx'
import { QueuedMessages } from '../../../packages/react/src/components/queued-messages.tsx'
import { Suggestions } from '../../../packages/react/src/components/suggestions.tsx'
import '../../../packages/react/src/theme.css'
import { makeMessage, text } from './helpers.ts'

const ENGLISH = 'The Nile is about 6,650 km long!'
const ARABIC = 'يبلغ طول نهر النيل حوالي ستة آلاف كيلومتر!'

/** The box of the character at `index` of the first text node holding `needle`, in `root`. */
function characterBox(root: Element, needle: string, index: number): DOMRect {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    const at = (node.textContent ?? '').indexOf(needle)
    if (at === -1) continue
    const range = document.createRange()
    range.setStart(node, at + index)
    range.setEnd(node, at + index + 1)
    return range.getBoundingClientRect()
  }
  throw new Error(`No text "${needle}" in the element.`)
}

/** Where a line of text sits in its box: which edge it starts from. */
function startsAt(box: Element, needle: string): 'left' | 'right' {
  const frame = box.getBoundingClientRect()
  const first = characterBox(box, needle, 0)
  return first.left - frame.left < frame.right - first.right ? 'left' : 'right'
}

function answer(id: string, value: string): Message {
  return makeMessage(id, 'complete', [text(`${id}-t`, value)])
}

async function inPage(dir: 'ltr' | 'rtl', node: React.ReactNode) {
  await page.viewport(1000, 800)
  const screen = await render(
    <div dir={dir} style={{ inlineSize: 640 }}>
      {node}
    </div>,
  )
  return screen
}

describe('an answer takes its own direction', () => {
  test('an English answer in a right-to-left page reads left to right, its "!" at its end', async () => {
    const screen = await inPage('rtl', <ChatMessage message={answer('a', ENGLISH)} />)
    const box = screen.container.querySelector('[data-sluice="message-text"]') as HTMLElement
    expect(getComputedStyle(box).direction).toBe('ltr')
    expect(startsAt(box, ENGLISH)).toBe('left')
    // In a right-to-left paragraph the "!" would show at the left of "The".
    const bang = characterBox(box, ENGLISH, ENGLISH.length - 1)
    const g = characterBox(box, ENGLISH, ENGLISH.length - 2)
    expect(bang.left).toBeGreaterThanOrEqual(g.right - 1)
  })

  test('an Arabic answer in a left-to-right page reads right to left', async () => {
    const screen = await inPage('ltr', <ChatMessage message={answer('a', ARABIC)} />)
    const box = screen.container.querySelector('[data-sluice="message-text"]') as HTMLElement
    expect(getComputedStyle(box).direction).toBe('rtl')
    expect(startsAt(box, ARABIC)).toBe('right')
    // The "!" ends the sentence on its left.
    const bang = characterBox(box, ARABIC, ARABIC.length - 1)
    const last = characterBox(box, ARABIC, ARABIC.length - 2)
    expect(bang.right).toBeLessThanOrEqual(last.left + 1)
  })

  test('each paragraph of a mixed answer starts at its own edge; a list item too', async () => {
    const mixed = `${ARABIC}\n\n${ENGLISH}\n\n- ${ENGLISH}\n- ${ARABIC}`
    const screen = await inPage('rtl', <ChatMessage message={answer('a', mixed)} />)
    const box = screen.container.querySelector('[data-sluice="message-text"]') as HTMLElement
    const [arabic, english] = Array.from(box.querySelectorAll('p'))
    expect(startsAt(arabic as HTMLElement, ARABIC)).toBe('right')
    expect(startsAt(english as HTMLElement, ENGLISH)).toBe('left')
    const [englishItem, arabicItem] = Array.from(box.querySelectorAll('li'))
    const englishBang = characterBox(englishItem as HTMLElement, ENGLISH, ENGLISH.length - 1)
    const englishStart = characterBox(englishItem as HTMLElement, ENGLISH, 0)
    expect(englishBang.left).toBeGreaterThan(englishStart.left)
    const arabicBang = characterBox(arabicItem as HTMLElement, ARABIC, ARABIC.length - 1)
    const arabicStart = characterBox(arabicItem as HTMLElement, ARABIC, 0)
    expect(arabicBang.left).toBeLessThan(arabicStart.left)
  })

  test('a code block first does not make an Arabic answer left to right; the code stays left to right', async () => {
    const value = `\`\`\`js\nconst nile = 6650\n\`\`\`\n\n${ARABIC}`
    const screen = await inPage('ltr', <ChatMessage message={answer('a', value)} />)
    const box = screen.container.querySelector('[data-sluice="message-text"]') as HTMLElement
    expect(getComputedStyle(box).direction).toBe('rtl')
    const pre = box.querySelector('pre') as HTMLElement
    expect(getComputedStyle(pre).direction).toBe('ltr')
    expect(startsAt(pre, 'const nile')).toBe('left')
  })

  test("the user's own words: English in a right-to-left page reads left to right, line by line", async () => {
    const question: Message = {
      id: 'u',
      role: 'user',
      status: 'complete',
      parts: [text('u-t', `${ARABIC}\n${ENGLISH}`)],
    }
    const screen = await inPage('rtl', <ChatMessage message={question} />)
    const box = screen.container.querySelector('[data-sluice="message-text"]') as HTMLElement
    expect(getComputedStyle(box).direction).toBe('rtl')
    const bang = characterBox(box, ENGLISH, ENGLISH.length - 1)
    const start = characterBox(box, ENGLISH, 0)
    expect(bang.left).toBeGreaterThan(start.left)
  })
})

describe('what people type and pick takes its own direction', () => {
  test('the composer: empty it keeps the page’s direction; English reads ltr, Arabic rtl', async () => {
    const screen = await inPage('rtl', <Composer onSend={() => {}} />)
    const input = screen.getByRole('textbox', { name: 'Message' })
    const element = input.element() as HTMLTextAreaElement
    expect(getComputedStyle(element).direction).toBe('rtl')
    await userEvent.type(input, 'Hello')
    expect(getComputedStyle(element).direction).toBe('ltr')
    await userEvent.clear(input)
    expect(getComputedStyle(element).direction).toBe('rtl')
    await userEvent.type(input, 'مرحبا')
    expect(getComputedStyle(element).direction).toBe('rtl')
  })

  test('a suggestion and a queued message in English read left to right in a right-to-left page', async () => {
    const screen = await inPage(
      'rtl',
      <>
        <Suggestions suggestions={[ENGLISH]} onSelect={() => {}} />
        <QueuedMessages items={[{ id: 'q', text: ENGLISH }]} onRemove={() => {}} onSendNow={() => {}} />
      </>,
    )
    const chip = screen.getByRole('button', { name: ENGLISH }).element()
    expect(getComputedStyle(chip).direction).toBe('ltr')
    const queued = screen.container.querySelector('[data-sluice="queued-text"]') as HTMLElement
    expect(getComputedStyle(queued).direction).toBe('ltr')
    const bang = characterBox(queued, ENGLISH, ENGLISH.length - 1)
    expect(bang.left).toBeGreaterThan(characterBox(queued, ENGLISH, 0).left)
  })
})
