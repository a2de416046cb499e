import { Markdown } from '@sluice/react'
import { createHighlighter } from '@sluice/react/highlight'
import '@sluice/react/highlight.css'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { useEffect, useState } from 'react'
import { expect, waitFor } from 'storybook/test'

/** One highlighter for every story: lowlight loads once, on the first code block. */
const highlighter = createHighlighter()

const codeAnswer = [
  'A streaming request in TypeScript:',
  '',
  '```ts',
  "import { createChat } from '@sluice/core'",
  '',
  '// One chat, one provider protocol.',
  "const chat = createChat({ api: '/api/chat', protocol: 'anthropic' })",
  'export async function ask(question: string): Promise<string> {',
  '  const reply = await chat.send(question)',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the answer's code has a template string.
  '  return `${reply.status}: ${reply.id}`',
  '}',
  '```',
  '',
  'The same in Python, with its response:',
  '',
  '```python',
  'def ask(question: str) -> str:',
  '    """Send one question."""',
  '    reply = chat.send(question, retries=3)',
  '    return reply.text if reply.ok else None',
  '```',
  '',
  '```json',
  '{ "id": "msg_1", "status": "complete", "tokens": 42, "cached": false }',
  '```',
  '',
  'Install it:',
  '',
  '```sh',
  'npm install @sluice/react # the React binding',
  '```',
  '',
  '```diff',
  '- const chat = useChat()',
  "+ const chat = useStreamingChat({ protocol: 'openai-chat' })",
  '```',
].join('\n')

/**
 * Code blocks highlighted by `createHighlighter()` from `@sluice/react/highlight` (lowlight,
 * loaded on the first code block) with the token colours of `@sluice/react/highlight.css`.
 */
const meta = {
  title: 'Components/Markdown/Highlighted code',
  component: Markdown,
  args: { children: codeAnswer, highlighter },
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

/** Waits until every code block of the story is fully highlighted (lowlight loads on first use). */
async function expectAllHighlighted(canvasElement: HTMLElement, blocks: number) {
  await waitFor(
    () => {
      const codes = [...canvasElement.querySelectorAll('code[data-language]')]
      expect(codes).toHaveLength(blocks)
      // `sh` and `diff` included: every block here has at least one token.
      for (const code of codes) expect(code).toHaveAttribute('data-highlighted', 'all')
    },
    { timeout: 30_000 },
  )
}

/** Every block highlighted, in the light theme. */
export const Light: Story = {
  play: async ({ canvasElement }) => {
    await expectAllHighlighted(canvasElement, 5)
    const keyword = [...canvasElement.querySelectorAll('.hljs-keyword')].find(
      (element) => element.textContent === 'import',
    )
    expect(keyword).toBeDefined()
    // The light palette's keyword colour (`--sluice-code-keyword`, #cf222e).
    expect(getComputedStyle(keyword as Element).color).toBe('rgb(207, 34, 46)')
    // Text only: the copy button copies exactly the code.
    expect(canvasElement.querySelector('code[data-language="json"]')?.textContent).toBe(
      '{ "id": "msg_1", "status": "complete", "tokens": 42, "cached": false }',
    )
  },
}

/** The same blocks in the dark theme (`data-theme="dark"`): the dark token palette. */
export const Dark: Story = {
  globals: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('[data-theme]')).toHaveAttribute('data-theme', 'dark')
    await expectAllHighlighted(canvasElement, 5)
    const keyword = canvasElement.querySelector('.hljs-keyword')
    // The dark palette's keyword colour (#ff7b72).
    expect(getComputedStyle(keyword as Element).color).toBe('rgb(255, 123, 114)')
  },
}

const streamedText = codeAnswer.slice(0, codeAnswer.indexOf('The same in Python'))

function StreamingCode() {
  const [length, setLength] = useState(0)
  useEffect(() => {
    if (length >= streamedText.length) return
    // About 6 characters every 16 ms: finished lines turn highlighted while the block streams.
    const timer = setTimeout(() => setLength((current) => Math.min(streamedText.length, current + 6)), 16)
    return () => clearTimeout(timer)
  }, [length])
  return (
    <Markdown streaming={length < streamedText.length} highlighter={highlighter}>
      {streamedText.slice(0, length)}
    </Markdown>
  )
}

/**
 * While the block streams, its finished lines are highlighted in the background (at most every
 * 100 ms) and stay highlighted; the line being written shows as plain text until the next pass.
 */
export const Streaming: Story = {
  render: () => <StreamingCode />,
  play: async ({ canvasElement }) => {
    await waitFor(
      () => expect(canvasElement.querySelector('[data-markdown]')).not.toHaveAttribute('data-streaming'),
      { timeout: 10_000 },
    )
    await expectAllHighlighted(canvasElement, 1)
    expect(canvasElement.querySelector('code')?.textContent).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the code's template string, as text.
      'return `${reply.status}: ${reply.id}`',
    )
  },
}
