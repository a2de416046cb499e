import { TypingIndicator } from '@sluice/react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, within } from 'storybook/test'

const meta = {
  title: 'Components/TypingIndicator',
  component: TypingIndicator,
} satisfies Meta<typeof TypingIndicator>

export default meta
type Story = StoryObj<typeof meta>

/** The three dots while an answer is on its way: a status that names what it waits for. */
export const Waiting: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const status = canvas.getByRole('status')
    await expect(status).toHaveTextContent('Waiting for the answer')
    // The dots are decoration: a screen reader reads the label only.
    await expect(status.querySelector('[data-sluice="typing-dots"]')).toHaveAttribute('aria-hidden', 'true')
  },
}

/** A custom label, read instead of the default one. */
export const CustomLabel: Story = {
  args: { label: 'The agent is planning' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('status')).toHaveTextContent('The agent is planning')
  },
}
