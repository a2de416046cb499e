import { useState } from 'react'
import { describe, expect, test, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { expectNoAxeViolations } from '../../../../test/browser/components/helpers.ts'
import '../theme.css'
import { BranchPicker } from './branch-picker.tsx'

function Controlled({
  count = 3,
  initial = 0,
  streaming,
}: {
  count?: number
  initial?: number
  streaming?: number[]
}) {
  const [index, setIndex] = useState(initial)
  return <BranchPicker index={index} count={count} onSwitch={setIndex} streaming={streaming} />
}

describe('BranchPicker', () => {
  test('a group named "Versions" with Previous / Next and "N / M"; disabled at the ends', async () => {
    const screen = await render(<Controlled />)
    const group = screen.getByRole('group', { name: 'Versions' })
    await expect.element(group).toHaveTextContent('1 / 3')
    const previous = screen.getByRole('button', { name: 'Previous version' })
    const next = screen.getByRole('button', { name: 'Next version' })
    await expect.element(previous).toBeDisabled()
    await next.click()
    await expect.element(group).toHaveTextContent('2 / 3')
    await expect.element(previous).toBeEnabled()
    await next.click()
    await expect.element(group).toHaveTextContent('3 / 3')
    await expect.element(next).toBeDisabled()
    await previous.click()
    await expect.element(group).toHaveTextContent('2 / 3')
    await expectNoAxeViolations(screen.container)
  })

  test('renders nothing for a message with one version', async () => {
    const screen = await render(<BranchPicker index={0} count={1} onSwitch={() => {}} />)
    expect(screen.container.querySelector('[data-sluice="branch-picker"]')).toBeNull()
  })

  test('keyboard: Tab reaches the buttons, Enter switches, Alt+Arrow switches inside the group', async () => {
    const onSwitch = vi.fn()
    const screen = await render(<BranchPicker index={1} count={3} onSwitch={onSwitch} />)
    await userEvent.keyboard('{Tab}')
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Previous version')
    await userEvent.keyboard('{Enter}')
    expect(onSwitch).toHaveBeenLastCalledWith(0)
    await userEvent.keyboard('{Alt>}{ArrowRight}{/Alt}')
    expect(onSwitch).toHaveBeenLastCalledWith(2)
    expect(onSwitch).toHaveBeenCalledTimes(2)
    await expect.element(screen.getByRole('group', { name: 'Versions' })).toBeInTheDocument()
  })

  test('announces once per switch in a polite live region, never on first render', async () => {
    const screen = await render(<Controlled />)
    const region = screen.container.querySelector('[data-sluice="branch-picker-announcer"]')
    expect(region?.getAttribute('aria-live')).toBe('polite')
    expect(region?.textContent).toBe('')
    await screen.getByRole('button', { name: 'Next version' }).click()
    await expect.poll(() => region?.textContent).toBe('Version 2 of 3')
  })

  test('a version streaming elsewhere marks the button that leads to it', async () => {
    const screen = await render(<Controlled initial={0} streaming={[2]} />)
    const root = screen.container.querySelector('[data-sluice="branch-picker"]')
    expect(root?.hasAttribute('data-streaming')).toBe(true)
    const next = screen.getByRole('button', { name: 'Next version' }).element()
    const previous = screen.getByRole('button', { name: 'Previous version' }).element()
    expect(next.hasAttribute('data-streaming')).toBe(true)
    expect(previous.hasAttribute('data-streaming')).toBe(false)
    // The streaming version itself shown: nothing left to mark.
    await screen.getByRole('button', { name: 'Next version' }).click()
    await screen.getByRole('button', { name: 'Next version' }).click()
    expect(root?.hasAttribute('data-streaming')).toBe(false)
  })

  test('labels replace every word', async () => {
    const screen = await render(
      <BranchPicker
        index={0}
        count={2}
        onSwitch={() => {}}
        labels={{ group: 'Versionen', previous: 'Vorherige', next: 'Nächste' }}
      />,
    )
    await expect.element(screen.getByRole('group', { name: 'Versionen' })).toBeInTheDocument()
    await expect.element(screen.getByRole('button', { name: 'Vorherige' })).toBeDisabled()
    await expect.element(screen.getByRole('button', { name: 'Nächste' })).toBeEnabled()
  })
})
