import { expect, test } from 'vitest'
import { cdp } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { expectNoAxeViolations } from '../../../../test/browser/components/helpers.ts'
import '../theme.css'
import { TypingIndicator } from './typing-indicator.tsx'

async function emulateReducedMotion(value: 'reduce' | 'no-preference') {
  await cdp().send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-reduced-motion', value }] })
}

test('is a status that tells screen readers the answer is on its way, with decorative dots', async () => {
  const screen = await render(<TypingIndicator />)
  const status = screen.getByRole('status')
  await expect.element(status).toHaveTextContent('Waiting for the answer')
  const dots = status.element().querySelector('[data-sluice="typing-dots"]')
  expect(dots?.getAttribute('aria-hidden')).toBe('true')
  await expectNoAxeViolations(screen.container)
})

test('animates its dots, and stops when the user prefers reduced motion', async () => {
  await emulateReducedMotion('no-preference')
  const screen = await render(<TypingIndicator label="Thinking" />)
  const status = screen.getByRole('status')
  await expect.element(status).toHaveAttribute('data-motion', 'full')
  const dot = status.element().querySelector('[data-sluice="typing-dot"]')!
  expect(getComputedStyle(dot).animationName).toBe('sluice-bounce')

  await emulateReducedMotion('reduce')
  await expect.element(status).toHaveAttribute('data-motion', 'reduced')
  expect(getComputedStyle(dot).animationName).toBe('none')
  await emulateReducedMotion('no-preference')
})
