import { Composer, type QueuedItem, QueuedMessages } from '@sluice/react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, fn } from 'storybook/test'

/**
 * `QueuedMessages`: what the user sent while an answer streamed (a chat with `queue: true`),
 * sent one by one as answers end. Editable, removable, reorderable by keyboard.
 */
const meta = {
  title: 'Components/QueuedMessages',
  component: QueuedMessages,
  args: {
    items: [
      { id: 'q1', text: 'And what about Lyon?' },
      { id: 'q2', text: 'Compare both in a table.' },
    ],
    onRemove: fn(),
    onSendNow: fn(),
    onUpdate: fn(),
    onMove: fn(),
    onClear: fn(),
  },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 720, padding: 16 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof QueuedMessages>

export default meta
type Story = StoryObj<typeof meta>

/** Two messages waiting: each with Edit, Move up / down, Send now and Remove; Clear queue below. */
export const TwoQueued: Story = {
  play: async ({ args, canvas, userEvent }) => {
    const list = canvas.getByRole('list', { name: 'Queued messages' })
    await expect(list).toBeInTheDocument()
    const items = canvas.getAllByRole('listitem')
    await expect(items.map((item) => item.textContent)).toEqual([
      'And what about Lyon?',
      'Compare both in a table.',
    ])
    await userEvent.click(canvas.getAllByRole('button', { name: 'Send now' })[1] as HTMLElement)
    await expect(args.onSendNow).toHaveBeenCalledWith('q2')
    await userEvent.click(canvas.getAllByRole('button', { name: 'Move up' })[1] as HTMLElement)
    await expect(args.onMove).toHaveBeenCalledWith('q2', 0)
    await userEvent.click(canvas.getAllByRole('button', { name: 'Remove' })[0] as HTMLElement)
    await expect(args.onRemove).toHaveBeenCalledWith('q1')
  },
}

/** Editing a queued message: a textbox; Enter saves. */
export const Editing: Story = {
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.click(canvas.getAllByRole('button', { name: 'Edit' })[0] as HTMLElement)
    const input = canvas.getByRole('textbox', { name: 'Edit queued message' })
    await expect(input).toHaveFocus()
    await userEvent.type(input, ' And Marseille?{Enter}')
    await expect(args.onUpdate).toHaveBeenCalledWith('q1', 'And what about Lyon? And Marseille?')
  },
}

/** Nothing queued: nothing shown. */
export const Empty: Story = {
  args: { items: [] },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('[data-sluice="queued-messages"]')).toBeNull()
  },
}

function QueueWhileStreaming() {
  const [items, setItems] = useState<QueuedItem[]>([])
  return (
    <>
      <QueuedMessages
        items={items}
        onRemove={(id) => setItems((current) => current.filter((item) => item.id !== id))}
        onSendNow={(id) => setItems((current) => current.filter((item) => item.id !== id))}
        onClear={() => setItems([])}
      />
      <Composer
        status="streaming"
        queue
        onSend={(text) => setItems((current) => [...current, { id: `q${current.length + 1}`, text }])}
        onStop={() => {}}
      />
    </>
  )
}

/** The composer with the queue on: while an answer streams, Send stays beside Stop and queues. */
export const ComposerQueues: Story = {
  args: { items: [] },
  render: () => <QueueWhileStreaming />,
  play: async ({ canvas, userEvent }) => {
    await expect(canvas.getByRole('button', { name: 'Stop' })).toBeInTheDocument()
    await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), 'One more thing{Enter}')
    await expect(canvas.getByRole('list', { name: 'Queued messages' })).toHaveTextContent('One more thing')
    await userEvent.click(canvas.getByRole('button', { name: 'Clear queue' }))
    await expect(canvas.queryByRole('list', { name: 'Queued messages' })).toBeNull()
  },
}
