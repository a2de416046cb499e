import { describe, expect, test, vi } from 'vitest'
import { render } from 'vitest-browser-react'
import { expectNoAxeViolations } from '../../../../test/browser/components/helpers.ts'
import '../theme.css'
import { Suggestions } from './suggestions.tsx'

describe('Suggestions', () => {
  test('a group named "Suggestions"; one click sends that text', async () => {
    const onSelect = vi.fn()
    const screen = await render(
      <Suggestions suggestions={['Tell me more', 'Give an example']} onSelect={onSelect} />,
    )
    const group = screen.getByRole('group', { name: 'Suggestions' })
    await group.getByRole('button', { name: 'Give an example' }).click()
    expect(onSelect).toHaveBeenCalledExactlyOnceWith('Give an example')
    await expectNoAxeViolations(screen.container)
  })

  test('model text stays text: markup in a suggestion is not HTML', async () => {
    const screen = await render(
      <Suggestions suggestions={['<img src=x onerror=alert(1)> hi']} onSelect={() => {}} />,
    )
    expect(screen.container.querySelector('img')).toBeNull()
    await expect
      .element(screen.getByRole('button', { name: '<img src=x onerror=alert(1)> hi' }))
      .toBeInTheDocument()
  })

  test('hidden while streaming, and nothing without suggestions', async () => {
    const screen = await render(<Suggestions suggestions={['A']} onSelect={() => {}} hidden />)
    expect(screen.container.querySelector('[data-sluice="suggestions"]')).toBeNull()
    await screen.rerender(<Suggestions suggestions={[]} onSelect={() => {}} />)
    expect(screen.container.querySelector('[data-sluice="suggestions"]')).toBeNull()
  })
})
