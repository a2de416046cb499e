import type { Message } from '@sluice/core'
import { useState } from 'react'
import { flushSync } from 'react-dom'
import { describe, expect, test } from 'vitest'
import { page } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { makeMessage, nextFrames, text } from '../../../../test/browser/components/helpers.ts'
import '../theme.css'
import { MessageList } from './message-list.tsx'

function distanceFromBottom(element: HTMLElement): number {
  return element.scrollHeight - element.scrollTop - element.clientHeight
}

/** Earlier turns, enough to make the log scroll. */
function history(count: number): Message[] {
  return Array.from({ length: count }, (_, index) => ({
    ...makeMessage(`h${index}`, 'complete', [text('t', `Turn ${index}: ${'lorem ipsum dolor '.repeat(12)}`)]),
    role: index % 2 === 0 ? 'user' : 'assistant',
  }))
}

/** Counts every moment the "Jump to latest" button is in the DOM, however briefly. */
function watchJumpButton(root: HTMLElement): { appearances: number } {
  const seen = { appearances: 0 }
  new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes)
        if (node instanceof HTMLElement && node.matches('[data-sluice="jump-to-latest"]')) seen.appearances++
  }).observe(root, { childList: true, subtree: true })
  return seen
}

const TABLE_ANSWER = [
  'Here is the comparison you asked for:',
  '',
  '| column | value | note |',
  '| --- | --- | --- |',
  '| alpha | 1 | the first row |',
  '| beta | 2 | the second row |',
  '| gamma | 3 | the third row |',
  '',
  'And a second table:',
  '',
  '| name | score |',
  '|:-----|------:|',
  '| one | 10 |',
  '| two | 20 |',
  '',
  'That is all.',
].join('\n')

describe('MessageList sticks to the bottom through content that shrinks', () => {
  test('a table streamed at a model’s pace: "Jump to latest" never appears and the log stays at the bottom', async () => {
    await page.viewport(800, 600)
    const earlier = history(8)
    const answer = (value: string, status: Message['status']) =>
      makeMessage('answer', status, [text('a', value, status === 'streaming' ? 'streaming' : 'done')])
    const screen = await render(
      <MessageList messages={[...earlier, answer('', 'streaming')]} style={{ height: 320 }} />,
    )
    const log = screen.getByRole('log', { name: 'Messages' }).element() as HTMLElement
    await nextFrames(3)
    expect(distanceFromBottom(log)).toBeLessThanOrEqual(8)
    const jump = watchJumpButton(screen.container as HTMLElement)

    // About 4 characters a token, a token every frame: 60 tokens/s, a fast model.
    let worst = 0
    for (let end = 4; end < TABLE_ANSWER.length + 4; end += 4) {
      await screen.rerender(
        <MessageList
          messages={[...earlier, answer(TABLE_ANSWER.slice(0, end), 'streaming')]}
          style={{ height: 320 }}
        />,
      )
      await nextFrames(1)
      worst = Math.max(worst, distanceFromBottom(log))
    }
    await screen.rerender(
      <MessageList messages={[...earlier, answer(TABLE_ANSWER, 'complete')]} style={{ height: 320 }} />,
    )
    await nextFrames(3)
    expect(log.querySelectorAll('table')).toHaveLength(2)
    expect(jump.appearances).toBe(0)
    expect(screen.container.querySelector('[data-sluice="jump-to-latest"]')).toBeNull()
    expect(distanceFromBottom(log)).toBeLessThanOrEqual(8)
    // Sampled one frame after each token: the content never got away from the bottom.
    expect(worst).toBeLessThanOrEqual(8)
  })

  test('a last message that gets shorter (a block collapsing) keeps following, with no button', async () => {
    await page.viewport(800, 600)
    const earlier = history(8)
    const long = `${'A long paragraph that will be replaced. '.repeat(30)}`
    const answer = (value: string) => makeMessage('answer', 'streaming', [text('a', value, 'streaming')])
    const screen = await render(<MessageList messages={[...earlier, answer(long)]} style={{ height: 320 }} />)
    const log = screen.getByRole('log', { name: 'Messages' }).element() as HTMLElement
    await nextFrames(3)
    expect(distanceFromBottom(log)).toBeLessThanOrEqual(8)
    const jump = watchJumpButton(screen.container as HTMLElement)
    for (const next of ['Short now.', `Short now. ${'and growing again '.repeat(20)}`, 'Short again.']) {
      await screen.rerender(<MessageList messages={[...earlier, answer(next)]} style={{ height: 320 }} />)
      await nextFrames(3)
      expect(distanceFromBottom(log), `after "${next.slice(0, 20)}"`).toBeLessThanOrEqual(8)
    }
    expect(jump.appearances).toBe(0)
    // Still following: the next growth is followed too.
    await screen.rerender(
      <MessageList
        messages={[...earlier, answer(`Short again. ${'more '.repeat(200)}`)]}
        style={{ height: 320 }}
      />,
    )
    await nextFrames(3)
    expect(distanceFromBottom(log)).toBeLessThanOrEqual(8)
    expect(jump.appearances).toBe(0)
  })
})

describe('MessageList lets go of the bottom when the user scrolls up', () => {
  const answer = (value: string) => makeMessage('answer', 'streaming', [text('a', value, 'streaming')])

  test('a scroll to the top in the same frame as the answer got shorter: the list stays at the top', async () => {
    await page.viewport(800, 600)
    const earlier = history(40)
    const long = 'Words of the answer. '.repeat(40)
    const screen = await render(<MessageList messages={[...earlier, answer(long)]} style={{ height: 320 }} />)
    const log = screen.getByRole('log', { name: 'Messages' }).element() as HTMLElement
    await nextFrames(3)
    expect(distanceFromBottom(log)).toBeLessThanOrEqual(8)
    // The answer loses a line (a block collapsing) and, before the next frame, the user drags the
    // scrollbar to the top: one scroll event where the content shrank and the viewport moved up
    // much further than the shrink. That is the user's scroll, not a clamp.
    const heightBefore = log.scrollHeight
    const scrolled = new Promise<void>((resolve) => {
      // Right after the layout where the list got shorter (the browser clamps the viewport to the
      // new end, its scroll event not yet dispatched), the user's scroll to the top.
      const observer = new ResizeObserver(() => {
        if (log.scrollHeight >= heightBefore) return
        observer.disconnect()
        log.scrollTop = 0
        resolve()
      })
      for (const child of log.children) observer.observe(child)
    })
    await screen.rerender(
      <MessageList messages={[...earlier, answer(long.slice(0, -120))]} style={{ height: 320 }} />,
    )
    await scrolled
    await nextFrames(3)
    expect(log.scrollTop, 'the user’s scroll was snapped back toward the end').toBeLessThan(400)
    await expect.element(screen.getByRole('button', { name: 'Jump to latest' })).toBeVisible()
    // Streaming goes on: the list stays where the user put it.
    await screen.rerender(
      <MessageList messages={[...earlier, answer(`${long} more words`)]} style={{ height: 320 }} />,
    )
    await nextFrames(3)
    expect(log.scrollTop).toBeLessThan(400)
  })

  test('a render between the user’s scroll and its scroll event does not snap the list back to the end', async () => {
    // A row measured in the same frame as the user's scroll re-renders the list before the
    // browser dispatches that scroll's event. The list must read the viewport itself then.
    await page.viewport(800, 600)
    const earlier = history(40)
    const long = 'Words of the answer. '.repeat(40)
    let grow: (more: string) => void = () => {}
    function Live() {
      const [more, setMore] = useState('')
      grow = setMore
      return <MessageList messages={[...earlier, answer(long + more)]} style={{ height: 320 }} />
    }
    const screen = await render(<Live />)
    const log = screen.getByRole('log', { name: 'Messages' }).element() as HTMLElement
    await nextFrames(3)
    expect(distanceFromBottom(log)).toBeLessThanOrEqual(8)
    // The user's scroll to the top, then at once (no event dispatched yet) a token that renders.
    log.scrollTop = 0
    flushSync(() => grow(' and more'))
    await nextFrames(3)
    expect(log.scrollTop, 'the user’s scroll was snapped back toward the end').toBeLessThan(400)
    await expect.element(screen.getByRole('button', { name: 'Jump to latest' })).toBeVisible()
  })
})
