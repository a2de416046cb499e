import type { ReasoningPart } from '@sluice/core'
import { expect, test } from 'vitest'
import { render } from 'vitest-browser-react'
import { expectNoAxeViolations } from '../../../../test/browser/components/helpers.ts'
import { Reasoning } from './reasoning.tsx'

const streamingPart: ReasoningPart = {
  type: 'reasoning',
  id: 'r1',
  text: 'The user asks about Paris.',
  state: 'streaming',
  startedAt: 10_000,
}

test('open while it streams, then closed with "Thought for N s"; the user can open it again', async () => {
  const screen = await render(<Reasoning part={streamingPart} />)
  const trigger = screen.getByRole('button', { name: 'Thinking…' })
  await expect.element(trigger).toHaveAttribute('aria-expanded', 'true')
  await expect.element(screen.getByText('The user asks about Paris.')).toBeVisible()
  await expectNoAxeViolations(screen.container)

  const done: ReasoningPart = {
    ...streamingPart,
    text: 'The user asks about Paris. Weather tool.',
    state: 'done',
    endedAt: 14_200,
  }
  await screen.rerender(<Reasoning part={done} />)
  const closed = screen.getByRole('button', { name: 'Thought for 4 s' })
  await expect.element(closed).toHaveAttribute('aria-expanded', 'false')
  expect(screen.container.textContent).not.toContain('Weather tool.')
  await expectNoAxeViolations(screen.container)

  await closed.click()
  await expect.element(closed).toHaveAttribute('aria-expanded', 'true')
  await expect.element(screen.getByText('The user asks about Paris. Weather tool.')).toBeVisible()
})

test('says "Reasoning" when the provider sent no times, closed when loaded finished', async () => {
  const screen = await render(
    <Reasoning part={{ type: 'reasoning', id: 'r', text: 'Hmm.', state: 'done' }} />,
  )
  await expect
    .element(screen.getByRole('button', { name: 'Reasoning' }))
    .toHaveAttribute('aria-expanded', 'false')
})

test('reasoning containing HTML renders as text', async () => {
  const payload = 'Maybe <img src="x" onerror="window.__pwned = true"> or <b>this</b>'
  const screen = await render(<Reasoning part={{ ...streamingPart, text: payload }} />)
  const content = screen.container.querySelector('[data-sluice="reasoning-content"]')!
  expect(content.querySelector('img, b')).toBeNull()
  expect(content.textContent).toContain('<img src="x" onerror="window.__pwned = true">')
  expect(content.textContent).toContain('<b>this</b>')
  expect((window as { __pwned?: boolean }).__pwned).toBeUndefined()
})
