import type { Message } from '@sluice/core'
import { describe, expect, test } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { expectNoAxeViolations, makeMessage, text } from '../../../../test/browser/components/helpers.ts'
import '../theme.css'
import { ChatMessage } from './chat-message.tsx'

const answer = makeMessage('a1', 'complete', [text('t', 'Paris is sunny.')])
const question: Message = { ...makeMessage('u1', 'complete', [text('t', 'Weather?')]), role: 'user' }

function actionsOf(container: HTMLElement, id: string): HTMLElement {
  const actions = container.querySelector<HTMLElement>(
    `[data-message-id="${id}"] [data-sluice="message-actions"]`,
  )
  if (actions === null) throw new Error(`Message ${id} has no actions.`)
  return actions
}

const opacity = (element: Element) => Number(getComputedStyle(element).opacity)

/** Waits for the theme's opacity transition to settle at `value`. */
async function expectOpacity(element: Element, value: number): Promise<void> {
  await expect.poll(() => opacity(element)).toBe(value)
}

describe('compact message actions', () => {
  test('icon buttons keep their names: the icons are decorative, the names are Copy, Edit, Regenerate', async () => {
    const screen = await render(
      <>
        <ChatMessage message={question} onEdit={() => {}} onCopy={() => {}} />
        <ChatMessage message={answer} onRegenerate={() => {}} onCopy={() => {}} />
      </>,
    )
    const names = [...screen.container.querySelectorAll('[data-sluice="message-actions"] button')].map(
      (button) => button.getAttribute('aria-label'),
    )
    expect(names).toEqual(['Copy', 'Edit', 'Copy', 'Regenerate'])
    for (const button of screen.container.querySelectorAll('[data-sluice="message-actions"] button')) {
      // No visible words: an icon each, hidden from assistive technology, a tooltip for the pointer.
      expect(button.textContent).toBe('')
      expect(button.querySelector('svg')?.getAttribute('aria-hidden')).toBe('true')
      expect(button.getAttribute('title')).toBe(button.getAttribute('aria-label'))
    }
    await expect.element(screen.getByRole('button', { name: 'Regenerate', exact: true })).toBeInTheDocument()
    await expectNoAxeViolations(screen.container)
  })

  test('hidden at rest, shown while the pointer is over the message', async () => {
    const screen = await render(
      <>
        <ChatMessage message={question} onEdit={() => {}} onCopy={() => {}} />
        <ChatMessage message={answer} onRegenerate={() => {}} onCopy={() => {}} />
      </>,
    )
    const answerActions = actionsOf(screen.container, 'a1')
    const questionActions = actionsOf(screen.container, 'u1')
    await expectOpacity(answerActions, 0)
    await expectOpacity(questionActions, 0)

    await userEvent.hover(screen.getByText('Paris is sunny.'))
    await expectOpacity(answerActions, 1)
    // Waited for, not read once: a fade still running from where the pointer was before ends at 0.
    await expectOpacity(questionActions, 0)

    await userEvent.hover(screen.getByText('Weather?'))
    await expectOpacity(questionActions, 1)
    await expectOpacity(answerActions, 0)
  })

  test('always reachable by keyboard: Tab into the message shows the actions, each focusable in turn', async () => {
    const screen = await render(
      <>
        <button type="button">Before</button>
        <ChatMessage message={answer} onRegenerate={() => {}} onCopy={() => {}} />
      </>,
    )
    const actions = actionsOf(screen.container, 'a1')
    await expectOpacity(actions, 0)
    await screen.getByRole('button', { name: 'Before' }).click()
    // Move the pointer away, so only focus can reveal the row.
    await userEvent.hover(screen.getByRole('button', { name: 'Before' }))
    await userEvent.tab()
    await expect.element(screen.getByRole('button', { name: 'Copy', exact: true })).toHaveFocus()
    await expectOpacity(actions, 1)
    await userEvent.tab()
    await expect.element(screen.getByRole('button', { name: 'Regenerate' })).toHaveFocus()
    expect(opacity(actions)).toBe(1)
    // The focused icon button has a visible focus ring.
    const focused = getComputedStyle(document.activeElement as Element)
    expect(focused.outlineStyle).toBe('solid')
    expect(focused.outlineWidth).toBe('2px')
  })

  test('Copy shows a tick for a moment; its name stays "Copy"', async () => {
    const screen = await render(<ChatMessage message={answer} onCopy={() => {}} />)
    const copy = screen.getByRole('button', { name: 'Copy', exact: true })
    const iconBefore = copy.element().innerHTML
    await copy.click()
    await expect.element(copy).toHaveAttribute('data-copied', '')
    await expect.element(copy).toHaveAttribute('title', 'Copied')
    expect(copy.element().innerHTML).not.toBe(iconBefore)
    await expect.element(copy).toHaveAccessibleName('Copy')
  })
})

describe('the error display', () => {
  test('shows the HTTP status of a failed request before the message', async () => {
    const failed = makeMessage('a1', 'error', [], {
      error: { message: 'Rate limit reached for gpt-4o-mini.', status: 429 },
    })
    const screen = await render(<ChatMessage message={failed} onRetry={() => {}} />)
    const note = screen.container.querySelector('[data-sluice="message-status"]')
    expect(note?.getAttribute('data-status')).toBe('error')
    expect(note?.querySelector('[data-sluice="message-status-code"]')?.textContent).toBe('HTTP 429')
    expect(note?.querySelector('[data-sluice="message-status-text"]')?.textContent).toBe(
      'HTTP 429 Rate limit reached for gpt-4o-mini.',
    )
    await expect.element(screen.getByRole('button', { name: 'Retry' })).toBeVisible()
    await expectNoAxeViolations(screen.container)
  })

  test('an interrupted answer shows the status too; no status, or a nonsense one, shows none', async () => {
    const screen = await render(
      <>
        <ChatMessage
          message={makeMessage('a1', 'interrupted', [text('t', 'Half')], {
            error: { message: 'The upstream closed.', status: 502 },
          })}
        />
        <ChatMessage message={makeMessage('a2', 'error', [], { error: { message: 'Malformed frame.' } })} />
        <ChatMessage
          message={makeMessage('a3', 'error', [], { error: { message: 'Odd.', status: 1e9 as number } })}
        />
      </>,
    )
    const code = (id: string) =>
      screen.container.querySelector(`[data-message-id="${id}"] [data-sluice="message-status-code"]`)
        ?.textContent
    expect(code('a1')).toBe('HTTP 502')
    expect(code('a2')).toBeUndefined()
    expect(code('a3')).toBeUndefined()
  })
})
