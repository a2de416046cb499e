/**
 * Branches and feedback in Chromium, by role: regenerate and edit make versions, the picker
 * ("Versions", "Previous version" / "Next version", "N / M") switches them with focus kept and
 * one announcement, a saved tree reloads with the same picker, feedback is pressed and kept.
 */
import { createChat, snapshotMessages } from '@sluice/core'
import { describe, expect, test } from 'vitest'
import { page, userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { MessageList } from '../../../packages/react/src/components/message-list.tsx'
import '../../../packages/react/src/theme.css'
import { expectNoAxeViolations } from './helpers.ts'

/** A text-protocol fetch that answers "Answer N" to the Nth request, at once. */
function countingFetch(): { fetch: typeof fetch; bodies: unknown[] } {
  const bodies: unknown[] = []
  const fetchAnswer = (async (_input: RequestInfo | URL, init?: RequestInit) => {
    bodies.push(JSON.parse(String(init?.body ?? '{}')))
    return new Response(`Answer ${bodies.length}`, {
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    })
  }) as typeof fetch
  return { fetch: fetchAnswer, bodies }
}

const shownTexts = (container: HTMLElement) =>
  [...container.querySelectorAll('[data-message-id]')].map((row) =>
    (row.querySelector('[data-sluice="message-content"]')?.textContent ?? '')
      .replace(/^(You|Assistant):/, '')
      .trim(),
  )

describe('branches in the MessageList', () => {
  test('regenerate: "2 / 2", Previous version shows the first answer, focus stays on the picker, one announcement', async () => {
    await page.viewport(800, 600)
    const server = countingFetch()
    const chat = createChat({ api: '/api/chat', protocol: 'text', fetch: server.fetch, retry: false })
    await chat.send('Hi')
    const screen = await render(<MessageList chat={chat} style={{ height: 400 }} />)
    await expect.element(screen.getByRole('log').getByText('Answer 1')).toBeVisible()
    await expect.element(screen.getByRole('group', { name: 'Versions' })).not.toBeInTheDocument()
    await chat.regenerate()
    await expect.element(screen.getByRole('log').getByText('Answer 2')).toBeVisible()
    const versions = screen.getByRole('group', { name: 'Versions' })
    await expect.element(versions).toHaveTextContent('2 / 2')
    await expect.element(screen.getByRole('button', { name: 'Next version' })).toBeDisabled()
    await expectNoAxeViolations(screen.container)

    const announcer = screen.container.querySelector('[data-sluice="message-list-announcer"]')!
    await screen.getByRole('button', { name: 'Previous version' }).click()
    await expect.element(screen.getByRole('log').getByText('Answer 1')).toBeVisible()
    await expect.element(screen.getByRole('log').getByText('Answer 2')).not.toBeInTheDocument()
    await expect.element(screen.getByRole('group', { name: 'Versions' })).toHaveTextContent('1 / 2')
    await expect.poll(() => announcer.textContent).toMatch(/1 of 2/)
    // The picker that replaced the clicked one has the focus (on the button still enabled).
    await expect.element(screen.getByRole('button', { name: 'Next version' })).toHaveFocus()
    // Keyboard: Enter on the focused button goes back.
    await userEvent.keyboard('{Enter}')
    await expect.element(screen.getByRole('log').getByText('Answer 2')).toBeVisible()
  })

  test('Regenerate on an earlier answer: a new version of it, the later turns kept as the other version', async () => {
    await page.viewport(800, 600)
    const server = countingFetch()
    const chat = createChat({ api: '/api/chat', protocol: 'text', fetch: server.fetch, retry: false })
    await chat.send('Paris?')
    await chat.send('Its river?')
    const screen = await render(<MessageList chat={chat} style={{ height: 500 }} />)
    await expect.element(screen.getByRole('log').getByText('Answer 2')).toBeVisible()
    // Every answer offers Regenerate; the first one's is clicked.
    const firstAnswer = screen.getByRole('log').getByText('Answer 1')
    await firstAnswer.hover()
    const regenerate = screen.getByRole('button', { name: 'Regenerate' })
    await expect.poll(() => regenerate.elements().length).toBe(2)
    await regenerate.first().click()
    await expect.element(screen.getByRole('log').getByText('Answer 3')).toBeVisible()
    expect(shownTexts(screen.container)).toEqual(['Paris?', 'Answer 3'])
    // The request carried the conversation up to the first question only.
    expect((server.bodies[2] as { messages: unknown[] }).messages).toHaveLength(1)
    await expect.element(screen.getByRole('group', { name: 'Versions' })).toHaveTextContent('2 / 2')
    await screen.getByRole('button', { name: 'Previous version' }).click()
    await expect.element(screen.getByRole('log').getByText('Its river?')).toBeVisible()
    expect(shownTexts(screen.container)).toEqual(['Paris?', 'Answer 1', 'Its river?', 'Answer 2'])
  })

  test('edit: the question gets versions, each with its own continuation; a saved tree reloads the same', async () => {
    await page.viewport(800, 600)
    const server = countingFetch()
    const chat = createChat({ api: '/api/chat', protocol: 'text', fetch: server.fetch, retry: false })
    await chat.send('Paris?')
    await chat.send('Its river?')
    const screen = await render(<MessageList chat={chat} style={{ height: 500 }} />)
    await expect.element(screen.getByRole('log').getByText('Answer 2')).toBeVisible()
    await screen.getByRole('button', { name: 'Edit' }).first().click()
    const editor = screen.getByRole('textbox').first()
    await editor.fill('Lisbon?')
    await userEvent.keyboard('{Enter}')
    await expect.element(screen.getByRole('log').getByText('Answer 3')).toBeVisible()
    expect(shownTexts(screen.container)).toEqual(['Lisbon?', 'Answer 3'])
    await expect.element(screen.getByRole('group', { name: 'Versions' })).toHaveTextContent('2 / 2')
    await screen.getByRole('button', { name: 'Previous version' }).click()
    await expect.element(screen.getByRole('log').getByText('Its river?')).toBeVisible()
    expect(shownTexts(screen.container)).toEqual(['Paris?', 'Answer 1', 'Its river?', 'Answer 2'])

    // Saved and loaded into a new chat: the same shown path and the same picker.
    const saved = JSON.parse(JSON.stringify(snapshotMessages(chat.getState())))
    const reloaded = createChat({
      api: '/api/chat',
      protocol: 'text',
      fetch: server.fetch,
      initialMessages: saved,
    })
    const again = await render(<MessageList chat={reloaded} style={{ height: 500 }} />)
    await expect.element(again.locator.getByRole('log').getByText('Its river?')).toBeVisible()
    await expect.element(again.locator.getByRole('group', { name: 'Versions' })).toHaveTextContent('1 / 2')
  })

  test('feedback: "Good response" / "Bad response" with aria-pressed, kept on the message', async () => {
    const server = countingFetch()
    const ratings: (string | undefined)[] = []
    const chat = createChat({
      api: '/api/chat',
      protocol: 'text',
      fetch: server.fetch,
      onFeedback: (_message, value) => ratings.push(value),
    })
    await chat.send('Hi')
    const screen = await render(<MessageList chat={chat} feedback style={{ height: 400 }} />)
    await expect.element(screen.getByRole('log').getByText('Answer 1')).toBeVisible()
    const good = screen.getByRole('button', { name: 'Good response' })
    const bad = screen.getByRole('button', { name: 'Bad response' })
    await expect.element(good).toHaveAttribute('aria-pressed', 'false')
    await good.click()
    await expect.element(good).toHaveAttribute('aria-pressed', 'true')
    await bad.click()
    await expect.element(bad).toHaveAttribute('aria-pressed', 'true')
    await expect.element(good).toHaveAttribute('aria-pressed', 'false')
    expect(chat.getState().messages[chat.getState().messageIds[1]!]?.feedback).toBe('negative')
    expect(ratings).toEqual(['positive', 'negative'])
    await expectNoAxeViolations(screen.container)
  })
})
