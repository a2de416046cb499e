import { BranchPicker, ChatMessage } from '@sluice/react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { useState } from 'react'
import { expect, fn } from 'storybook/test'
import { message, textPart } from './support/messages.ts'

/**
 * `BranchPicker`: the versions of an edited question or a regenerated answer, "‹ 2 / 3 ›".
 * A `role="group"` named "Versions" with "Previous version" / "Next version" (disabled at the
 * ends) and the "N / M" text; a switch is announced once.
 */
const meta = {
  title: 'Components/BranchPicker',
  component: BranchPicker,
  args: { index: 0, count: 3, onSwitch: fn() },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 720, padding: 16 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof BranchPicker>

export default meta
type Story = StoryObj<typeof meta>

/** The first of three versions: Previous is disabled. */
export const First: Story = {
  play: async ({ args, canvas, userEvent }) => {
    const group = canvas.getByRole('group', { name: 'Versions' })
    await expect(group).toHaveTextContent('1 / 3')
    await expect(canvas.getByRole('button', { name: 'Previous version' })).toBeDisabled()
    await userEvent.click(canvas.getByRole('button', { name: 'Next version' }))
    await expect(args.onSwitch).toHaveBeenCalledWith(1)
  },
}

/** A middle version: both ways open. */
export const Middle: Story = {
  args: { index: 1 },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('group', { name: 'Versions' })).toHaveTextContent('2 / 3')
    await expect(canvas.getByRole('button', { name: 'Previous version' })).toBeEnabled()
    await expect(canvas.getByRole('button', { name: 'Next version' })).toBeEnabled()
  },
}

/** The last version: Next is disabled. */
export const Last: Story = {
  args: { index: 2 },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('group', { name: 'Versions' })).toHaveTextContent('3 / 3')
    await expect(canvas.getByRole('button', { name: 'Next version' })).toBeDisabled()
  },
}

/** The third version still streams while the first is shown: a dot on "Next version". */
export const StreamingElsewhere: Story = {
  args: { index: 0, streaming: [2] },
  play: async ({ canvas, canvasElement }) => {
    await expect(canvas.getByRole('button', { name: 'Next version' })).toHaveAttribute('data-streaming')
    await expect(canvasElement.querySelector('[data-sluice="branch-picker"]')).toHaveAttribute(
      'data-streaming',
    )
  },
}

const versions = [
  'Paris is the capital of France.',
  'The capital of France is Paris, on the Seine.',
  'Paris. It has been the capital since the 10th century.',
]

function AnswerWithVersions() {
  const [index, setIndex] = useState(1)
  return (
    <ChatMessage
      message={message(`answer-${index}`, 'assistant', 'complete', [textPart(versions[index] ?? '')])}
    >
      <BranchPicker index={index} count={versions.length} onSwitch={setIndex} />
    </ChatMessage>
  )
}

/** In a message: switching shows that version; the keyboard reaches both buttons. */
export const InAMessage: Story = {
  render: () => <AnswerWithVersions />,
  play: async ({ canvas, canvasElement, userEvent }) => {
    await expect(canvas.getByText(versions[1] ?? '')).toBeInTheDocument()
    await userEvent.click(canvas.getByRole('button', { name: 'Previous version' }))
    await expect(canvas.getByText(versions[0] ?? '')).toBeInTheDocument()
    await expect(canvas.getByRole('group', { name: 'Versions' })).toHaveTextContent('1 / 3')
    const announcer = canvasElement.querySelector('[data-sluice="branch-picker-announcer"]')
    await expect(announcer).toHaveTextContent('Version 1 of 3')
  },
}
