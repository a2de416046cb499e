import { useState } from 'react'
import { describe, expect, test, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { expectNoAxeViolations } from '../../../../test/browser/components/helpers.ts'
import '../theme.css'
import { type QueuedItem, QueuedMessages } from './queued-messages.tsx'

const initial: QueuedItem[] = [
  { id: 'q1', text: 'First question' },
  { id: 'q2', text: 'Second question' },
  { id: 'q3', text: 'Third question' },
]

function Queue({ onSendNow = () => {} }: { onSendNow?: (id: string) => void }) {
  const [items, setItems] = useState(initial)
  return (
    <QueuedMessages
      items={items}
      onRemove={(id) => setItems((current) => current.filter((item) => item.id !== id))}
      onSendNow={onSendNow}
      onUpdate={(id, text) =>
        setItems((current) => current.map((item) => (item.id === id ? { ...item, text } : item)))
      }
      onMove={(id, to) =>
        setItems((current) => {
          const moved = current.find((item) => item.id === id)
          if (!moved) return current
          const rest = current.filter((item) => item.id !== id)
          return [...rest.slice(0, to), moved, ...rest.slice(to)]
        })
      }
      onClear={() => setItems([])}
    />
  )
}

const texts = (container: HTMLElement) =>
  [...container.querySelectorAll('[data-sluice="queued-item"]')].map((item) => item.textContent)

describe('QueuedMessages', () => {
  test('a list named "Queued messages": each item is its text, with Remove and Send now', async () => {
    const onSendNow = vi.fn()
    const screen = await render(<Queue onSendNow={onSendNow} />)
    const list = screen.getByRole('list', { name: 'Queued messages' })
    await expect.element(list).toBeInTheDocument()
    expect(texts(screen.container)).toEqual(['First question', 'Second question', 'Third question'])
    const second = screen.getByRole('listitem').nth(1)
    await second.getByRole('button', { name: 'Send now' }).click()
    expect(onSendNow).toHaveBeenCalledWith('q2')
    await second.getByRole('button', { name: 'Remove' }).click()
    expect(texts(screen.container)).toEqual(['First question', 'Third question'])
    await expectNoAxeViolations(screen.container)
  })

  test('edit: a textbox, Enter saves, Escape cancels', async () => {
    const screen = await render(<Queue />)
    await screen.getByRole('listitem').first().getByRole('button', { name: 'Edit' }).click()
    const input = screen.getByRole('textbox', { name: 'Edit queued message' })
    await expect.element(input).toHaveFocus()
    await userEvent.clear(input)
    await userEvent.type(input, 'Changed{Enter}')
    expect(texts(screen.container)[0]).toBe('Changed')
    await screen.getByRole('listitem').first().getByRole('button', { name: 'Edit' }).click()
    await userEvent.type(screen.getByRole('textbox', { name: 'Edit queued message' }), ' more{Escape}')
    expect(texts(screen.container)[0]).toBe('Changed')
  })

  test('reorder by keyboard: Move up / Move down and Alt+Arrow keep focus on the moved item', async () => {
    const screen = await render(<Queue />)
    const third = screen.getByRole('listitem').nth(2)
    await third.getByRole('button', { name: 'Move up' }).click()
    expect(texts(screen.container)).toEqual(['First question', 'Third question', 'Second question'])
    expect(document.activeElement?.closest('li')?.textContent).toBe('Third question')
    await userEvent.keyboard('{Alt>}{ArrowUp}{/Alt}')
    expect(texts(screen.container)).toEqual(['Third question', 'First question', 'Second question'])
    // At the top Move up is disabled: focus moved to the item's Move down.
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Move down')
    expect(document.activeElement?.closest('li')?.textContent).toBe('Third question')
    await userEvent.keyboard('{Alt>}{ArrowDown}{/Alt}')
    expect(texts(screen.container)).toEqual(['First question', 'Third question', 'Second question'])
  })

  test('Clear queue empties it and the list goes away', async () => {
    const screen = await render(<Queue />)
    await screen.getByRole('button', { name: 'Clear queue' }).click()
    expect(screen.container.querySelector('[data-sluice="queued-messages"]')).toBeNull()
  })
})
