import { ToolCallCard, type ToolRenderer } from '@sluice/react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, fn } from 'storybook/test'
import { toolCallPart, toolCallStates } from './support/messages.ts'

/** `ToolCallCard` in each state of a tool call's life; the state is on the card as `data-state`. */
const meta = {
  title: 'Components/ToolCallCard',
  component: ToolCallCard,
  args: { part: toolCallPart('input-available'), onOpenChange: fn() },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 560 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof ToolCallCard>

export default meta
type Story = StoryObj<typeof meta>

function card(canvasElement: HTMLElement): HTMLElement | null {
  return canvasElement.querySelector('[data-sluice="tool-call-card"]')
}

/** The model is still writing the arguments: the partial JSON shows, the card is open. */
export const InputStreaming: Story = {
  args: { part: toolCallPart('input-streaming') },
  play: async ({ canvas, canvasElement }) => {
    await expect(card(canvasElement)).toHaveAttribute('data-state', 'input-streaming')
    await expect(card(canvasElement)).toHaveAttribute('data-tool-name', 'get_weather')
    await expect(card(canvasElement)).toHaveAttribute('data-tool-call-id', 'call_input-streaming')
    const trigger = canvas.getByRole('button', { name: /get_weather/ })
    await expect(trigger).toHaveTextContent('Preparing input')
    await expect(trigger).toHaveAttribute('aria-expanded', 'true')
    // What has arrived of `{"city":"Paris","unit":"cel` shows, repaired into readable JSON.
    await expect(canvas.getByRole('group', { name: 'Input' })).toHaveTextContent(/"city": "Paris"/)
  },
}

/** The arguments are complete; the app has not started the tool yet. */
export const InputAvailable: Story = {
  args: { part: toolCallPart('input-available') },
  play: async ({ canvas, canvasElement }) => {
    await expect(card(canvasElement)).toHaveAttribute('data-state', 'input-available')
    await expect(canvas.getByRole('button', { name: /get_weather/ })).toHaveTextContent('Ready to run')
    await expect(canvas.getByRole('group', { name: 'Input' })).toHaveTextContent(/"unit": "celsius"/)
  },
}

/** The tool runs: the header counts the seconds. */
export const Running: Story = {
  args: { part: toolCallPart('running') },
  play: async ({ canvas, canvasElement }) => {
    await expect(card(canvasElement)).toHaveAttribute('data-state', 'running')
    await expect(canvas.getByRole('button', { name: /get_weather/ })).toHaveTextContent(/Running \d+ s/)
  },
}

/** The result is in: the card folds itself; opening it shows input and output. */
export const OutputAvailable: Story = {
  args: { part: toolCallPart('output-available') },
  play: async ({ args, canvas, canvasElement, userEvent }) => {
    await expect(card(canvasElement)).toHaveAttribute('data-state', 'output-available')
    const trigger = canvas.getByRole('button', { name: /get_weather/ })
    await expect(trigger).toHaveTextContent('Done in 2 s')
    await expect(trigger).toHaveAttribute('aria-expanded', 'false')
    await expect(canvas.queryByRole('group', { name: 'Output' })).not.toBeInTheDocument()
    await userEvent.click(trigger)
    await expect(args.onOpenChange).toHaveBeenCalledWith(true)
    await expect(trigger).toHaveAttribute('aria-expanded', 'true')
    await expect(card(canvasElement)).toHaveAttribute('data-expanded')
    await expect(canvas.getByRole('group', { name: 'Output' })).toHaveTextContent(
      /"conditions": "Light rain"/,
    )
  },
}

/** The tool failed: the error shows, and the card stays open so it is seen. */
export const OutputError: Story = {
  args: { part: toolCallPart('output-error') },
  play: async ({ canvas, canvasElement }) => {
    await expect(card(canvasElement)).toHaveAttribute('data-state', 'output-error')
    await expect(canvas.getByRole('button', { name: /get_weather/ })).toHaveTextContent('Failed')
    await expect(canvas.getByText('The weather service timed out after 10 s.')).toBeVisible()
  },
}

/** The stream stopped before the call finished. */
export const Cancelled: Story = {
  args: { part: toolCallPart('cancelled') },
  play: async ({ canvas, canvasElement, userEvent }) => {
    await expect(card(canvasElement)).toHaveAttribute('data-state', 'cancelled')
    const trigger = canvas.getByRole('button', { name: /get_weather/ })
    await expect(trigger).toHaveTextContent('Cancelled')
    await userEvent.click(trigger)
    await expect(canvas.getByRole('group', { name: 'Input' })).toBeVisible()
  },
}

/** Every state of a tool call, one card each, in lifecycle order. */
const renderAllStates: NonNullable<Story['render']> = (args) => (
  <div style={{ display: 'grid', gap: 12 }}>
    {toolCallStates.map((state) => (
      <ToolCallCard key={state} {...args} part={toolCallPart(state)} />
    ))}
  </div>
)

/** Every state side by side, by keyboard: each header toggles with Enter. */
export const AllStates: Story = {
  render: renderAllStates,
  play: async ({ canvasElement, userEvent }) => {
    const cards = [...canvasElement.querySelectorAll('[data-sluice="tool-call-card"]')]
    await expect(cards.map((element) => element.getAttribute('data-state'))).toEqual([...toolCallStates])
    await userEvent.tab()
    const first = cards[0]?.querySelector('button')
    await expect(first).toHaveFocus()
    await userEvent.keyboard('{Enter}')
    await expect(first).toHaveAttribute('aria-expanded', 'false')
  },
}

/** Every state in the dark default theme: each stays readable on the dark palette. */
export const AllStatesDark: Story = {
  globals: { theme: 'dark' },
  render: renderAllStates,
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('[data-theme]')).toHaveAttribute('data-theme', 'dark')
    const cards = [...canvasElement.querySelectorAll('[data-sluice="tool-call-card"]')]
    await expect(cards.map((element) => element.getAttribute('data-state'))).toEqual([...toolCallStates])
  },
}

const renderWeather: ToolRenderer = ({ part }) =>
  part.state === 'output-available' ? (
    <p data-testid="weather">
      {(part.output as { temperature: number }).temperature} °C,{' '}
      {(part.output as { conditions: string }).conditions}
    </p>
  ) : undefined

/** A custom body for one tool, and a custom title. */
export const CustomRenderer: Story = {
  args: {
    part: toolCallPart('output-available'),
    render: renderWeather,
    title: 'Weather',
    defaultOpen: true,
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('button', { name: /Weather/ })).toHaveTextContent('Done in 2 s')
    await expect(canvas.getByTestId('weather')).toHaveTextContent('18 °C, Light rain')
    await expect(canvas.queryByRole('group', { name: 'Output' })).not.toBeInTheDocument()
  },
}
