/**
 * Right to left in Chromium: the same thread rendered with `dir="ltr"` and `dir="rtl"`, measured
 * with getBoundingClientRect. The theme's logical properties mirror the layout: the user's
 * bubble on the other side, the caret after the last character in reading order, the branch
 * picker's Previous / Next (and their chevrons) swapped, the composer's buttons on the other side.
 */
import type { Message } from '@sluice/core'
import { describe, expect, test } from 'vitest'
import { page } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { BranchPicker } from '../../../packages/react/src/components/branch-picker.tsx'
import { ChatMessage } from '../../../packages/react/src/components/chat-message.tsx'
import { Composer } from '../../../packages/react/src/components/composer.tsx'
import '../../../packages/react/src/theme.css'
import { makeMessage, text } from './helpers.ts'

const question: Message = {
  id: 'u1',
  role: 'user',
  status: 'complete',
  parts: [text('t1', 'How long is the Loire?')],
}
const englishAnswer = makeMessage('a1', 'streaming', [
  text('t2', 'The Loire is the longest river of France, at about', 'streaming'),
])
/** The same answer in Arabic, for the rtl thread: the caret must end it on the left. */
const arabicAnswer = makeMessage('a1', 'streaming', [
  text('t2', 'نهر اللوار هو أطول نهر في فرنسا، ويبلغ طوله حوالي', 'streaming'),
])

type Direction = 'ltr' | 'rtl'

/** A thread in one direction, 600 px wide, at a fixed place on the page. */
function Thread({ dir }: { dir: Direction }) {
  return (
    <div dir={dir} data-testid={dir} style={{ inlineSize: 600, padding: 0 }}>
      <ChatMessage message={question} />
      <ChatMessage message={dir === 'ltr' ? englishAnswer : arabicAnswer} />
      <BranchPicker index={1} count={3} onSwitch={() => {}} />
      <Composer onSend={() => {}} defaultValue="Next question" />
    </div>
  )
}

/** An element's box relative to its thread: distances from the thread's left and right edges. */
function box(thread: HTMLElement, selector: string) {
  const element = thread.querySelector(selector)
  if (element === null) throw new Error(`No ${selector} in the ${thread.dir} thread.`)
  return offsets(thread, element.getBoundingClientRect())
}

function offsets(thread: HTMLElement, rect: DOMRect) {
  const frame = thread.getBoundingClientRect()
  return {
    left: rect.left - frame.left,
    right: frame.right - rect.right,
    top: rect.top - frame.top,
    bottom: rect.bottom - frame.top,
    width: rect.width,
  }
}

/** The box of the last character of an element's text. */
function lastCharacter(thread: HTMLElement, selector: string) {
  const element = thread.querySelector(selector)
  const walker = document.createTreeWalker(element ?? thread, NodeFilter.SHOW_TEXT)
  let last: Text | undefined
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    if ((node.textContent ?? '').trim() !== '') last = node as Text
  }
  if (last === undefined) throw new Error(`No text in ${selector}.`)
  const range = document.createRange()
  const end = (last.textContent ?? '').trimEnd().length
  range.setStart(last, end - 1)
  range.setEnd(last, end)
  return offsets(thread, range.getBoundingClientRect())
}

/** Mirrored: what is `d` px from the left in one direction is `d` px from the right in the other. */
function expectMirrored(ltr: ReturnType<typeof offsets>, rtl: ReturnType<typeof offsets>) {
  expect(Math.abs(ltr.left - rtl.right)).toBeLessThanOrEqual(1)
  expect(Math.abs(ltr.right - rtl.left)).toBeLessThanOrEqual(1)
  expect(Math.abs(ltr.width - rtl.width)).toBeLessThanOrEqual(1)
}

async function renderBoth() {
  await page.viewport(1400, 900)
  const screen = await render(
    <div style={{ display: 'flex', gap: 40, alignItems: 'flex-start' }}>
      <Thread dir="ltr" />
      <Thread dir="rtl" />
    </div>,
  )
  const ltr = screen.getByTestId('ltr').element() as HTMLElement
  const rtl = screen.getByTestId('rtl').element() as HTMLElement
  return { screen, ltr, rtl }
}

describe('dir="rtl" mirrors the thread', () => {
  test("the user's bubble sits at the inline end: right in ltr, left in rtl", async () => {
    const { ltr, rtl } = await renderBoth()
    const bubble = '[data-message-id="u1"] [data-sluice="message-content"]'
    const left = box(ltr, bubble)
    const right = box(rtl, bubble)
    // Pushed to the end, away from the start.
    expect(left.right).toBeLessThan(left.left)
    expect(right.left).toBeLessThan(right.right)
    expectMirrored(left, right)
    // The answer starts at the start edge: left in ltr, right in rtl.
    expectMirrored(
      box(ltr, '[data-message-id="a1"] [data-sluice="message-text"]'),
      box(rtl, '[data-message-id="a1"] [data-sluice="message-text"]'),
    )
  })

  test('the caret is on the last line, just after the last character: right of it in ltr, left of it in rtl', async () => {
    const { ltr, rtl } = await renderBoth()
    for (const thread of [ltr, rtl]) {
      const caret = box(thread, '[data-message-id="a1"] [data-sluice="caret"]')
      const last = lastCharacter(thread, '[data-message-id="a1"] [data-sluice="message-text"]')
      // The same line: the caret's box overlaps the last character's vertically.
      expect(caret.top).toBeLessThan(last.bottom - 2)
      expect(caret.bottom).toBeGreaterThan(last.top + 2)
      // Next to it (its margin is 0.125em), on the side the text's direction ends.
      const gap =
        thread.dir === 'ltr' ? caret.left - (last.left + last.width) : caret.right - (last.right + last.width)
      expect(gap).toBeGreaterThanOrEqual(-0.5)
      expect(gap).toBeLessThan(6)
    }
  })

  test('English in an rtl thread: the caret follows the English (the text sets its own direction)', async () => {
    await page.viewport(1400, 900)
    const screen = await render(
      <div dir="rtl" data-testid="mixed" style={{ inlineSize: 600 }}>
        <ChatMessage message={englishAnswer} />
      </div>,
    )
    const thread = screen.getByTestId('mixed').element() as HTMLElement
    const caret = box(thread, '[data-sluice="caret"]')
    const last = lastCharacter(thread, '[data-sluice="message-text"]')
    expect(caret.top).toBeLessThan(last.bottom - 2)
    const gap = caret.left - (last.left + last.width)
    expect(gap).toBeGreaterThanOrEqual(-0.5)
    expect(gap).toBeLessThan(6)
  })

  test("the branch picker's Previous and Next swap sides, chevrons mirrored", async () => {
    const { ltr, rtl } = await renderBoth()
    const previousLtr = box(ltr, '[data-sluice="branch-previous"]')
    const nextLtr = box(ltr, '[data-sluice="branch-next"]')
    const previousRtl = box(rtl, '[data-sluice="branch-previous"]')
    const nextRtl = box(rtl, '[data-sluice="branch-next"]')
    // Previous points back: on the left in ltr, on the right in rtl.
    expect(previousLtr.left).toBeLessThan(nextLtr.left)
    expect(previousRtl.left).toBeGreaterThan(nextRtl.left)
    expectMirrored(previousLtr, previousRtl)
    expectMirrored(nextLtr, nextRtl)
    // The chevron drawn "‹" in ltr is flipped to "›" in rtl, pointing at the same edge as its button.
    const flip = (thread: HTMLElement) =>
      new DOMMatrix(
        getComputedStyle(thread.querySelector('[data-sluice="branch-previous"] svg') as Element).transform,
      ).a
    expect(flip(ltr)).toBe(1)
    expect(flip(rtl)).toBe(-1)
  })

  test("the composer's Send button is at the inline end: right in ltr, left in rtl", async () => {
    const { ltr, rtl } = await renderBoth()
    const sendLtr = box(ltr, '[data-sluice="send-button"]')
    const sendRtl = box(rtl, '[data-sluice="send-button"]')
    const inputLtr = box(ltr, '[data-sluice="composer-input"]')
    const inputRtl = box(rtl, '[data-sluice="composer-input"]')
    expect(sendLtr.left).toBeGreaterThan(inputLtr.left)
    expect(sendRtl.left).toBeLessThan(inputRtl.left)
    expectMirrored(sendLtr, sendRtl)
    expectMirrored(inputLtr, inputRtl)
    // The box follows the page; the draft follows its own first letter: "Next question" reads
    // left to right even here (an empty box and an Arabic draft read right to left: bidi.test.tsx).
    const textarea = rtl.querySelector('textarea') as HTMLTextAreaElement
    expect(getComputedStyle(textarea).direction).toBe('ltr')
    expect(getComputedStyle(textarea).textAlign).toBe('start')
  })
})
