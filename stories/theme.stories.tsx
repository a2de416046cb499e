import {
  ChatLayout,
  ChatMessage,
  Composer,
  type Message,
  MessageList,
  Reasoning,
  ToolCallCard,
} from '@sluice/react'
import { createHighlighter } from '@sluice/react/highlight'
import '@sluice/react/highlight.css'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { type CSSProperties, type ReactNode, useLayoutEffect } from 'react'
import { expect, fn, waitFor } from 'storybook/test'
import { message, reasoningPart, textPart, toolCallPart } from './support/messages.ts'

/**
 * The default theme (`@sluice/react/theme.css`) as a whole: the quick start's layout, every
 * markdown element an answer uses, the states of a message, tool cards, and the same page under
 * the CSS resets apps start from. These stories are also the screenshot tests' pages
 * (`test/screenshots/`), in light and dark: keep them static and deterministic.
 */
const meta = {
  title: 'Theme',
  parameters: { layout: 'fullscreen' },
} satisfies Meta

export default meta
type Story = StoryObj<typeof meta>

const highlighter = createHighlighter()

const answer = [
  '## Three rivers',
  '',
  'The **Seine** crosses Paris; its data is in `rivers.json`. The table compares the three:',
  '',
  '| River | Length | Mouth |',
  '| ----- | -----: | ----- |',
  '| Seine | 777 km | English Channel |',
  '| Loire | 1,006 km | Atlantic |',
  '| Rhône | 813 km | Mediterranean |',
  '',
  '1. The Loire is the longest.',
  '2. The Rhône starts in Switzerland.',
  '',
  '> Lengths are rounded to the kilometre.',
  '',
  '```ts',
  'const longest = rivers.toSorted((a, b) => b.length - a.length)[0]',
  'console.log(longest.name) // "Loire"',
  '```',
].join('\n')

const thread: Message[] = [
  message('user-1', 'user', 'complete', [textPart('Compare the Seine, the Loire and the Rhône.')]),
  message('assistant-1', 'assistant', 'complete', [textPart(answer)]),
]

const markdown = { highlighter }

/** The quick start's markup (`<div className="sluice-chat">`), here with a fixed height. */
function QuickStart({ messages = thread }: { messages?: Message[] }) {
  return (
    <ChatLayout style={{ '--sluice-chat-height': '640px' } as CSSProperties}>
      <MessageList messages={messages} markdown={markdown} onRegenerate={fn()} onCopy={fn()} />
      <Composer onSend={fn()} placeholder="Ask anything" />
    </ChatLayout>
  )
}

async function expectCodeHighlighted(canvasElement: HTMLElement) {
  await waitFor(
    () =>
      expect(canvasElement.querySelector('code[data-language="ts"]')).toHaveAttribute(
        'data-highlighted',
        'all',
      ),
    { timeout: 30_000 },
  )
}

/** The quick start's layout: a question, an answer with a heading, a table, a list, a quote and code. */
export const QuickStartLayout: Story = {
  render: () => <QuickStart />,
  play: async ({ canvas, canvasElement }) => {
    await expect(canvas.getByRole('log', { name: 'Messages' })).toBeVisible()
    await expect(canvas.getByRole('textbox', { name: 'Message' })).toBeVisible()
    await expectCodeHighlighted(canvasElement)
  },
}

/**
 * Next's `globals.css` reset (`* { margin: 0; padding: 0 }`) and the rules of a Tailwind
 * preflight, unlayered, after the theme: the page must look exactly like `QuickStartLayout`.
 */
const resets = `
* { box-sizing: border-box; padding: 0; margin: 0; }
*, ::after, ::before { border: 0 solid; }
html { line-height: 1.5; font-family: Georgia, serif; }
body { font-family: Georgia, serif; text-align: center; }
h1, h2, h3, h4, h5, h6 { font-size: inherit; font-weight: inherit; }
a { color: inherit; text-decoration: inherit; }
code, kbd, samp, pre { font-family: monospace; font-size: 1em; }
table { text-indent: 0; border-color: inherit; border-collapse: collapse; }
ol, ul, menu { list-style: none; }
img, svg, video { display: block; vertical-align: middle; }
button, input, textarea { font: inherit; color: inherit; border-radius: 0; background-color: transparent; }
code { display: inline-flex; padding: 4px 8px; }
button { padding: 0.6em 1.2em; border-radius: 8px; background-color: #1a1a1a; }
`

function WithResets({ children }: { children: ReactNode }) {
  // Added before the first paint and removed with the story, so no other story sees it.
  useLayoutEffect(() => {
    const style = document.createElement('style')
    style.dataset.story = 'theme-resets'
    style.textContent = resets
    document.head.append(style)
    return () => style.remove()
  }, [])
  return children
}

export const QuickStartUnderResets: Story = {
  render: () => (
    <WithResets>
      <QuickStart />
    </WithResets>
  ),
  play: async ({ canvas, canvasElement }) => {
    await expectCodeHighlighted(canvasElement)
    const bubble = canvasElement.querySelector('[data-role="user"] [data-sluice="message-content"]')
    await expect(getComputedStyle(bubble as Element).paddingTop).toBe('8px')
    await expect(canvas.getByRole('textbox', { name: 'Message' })).toBeVisible()
  },
}

/** How a message ends when it does not complete: the HTTP status shows with the error. */
export const MessageStates: Story = {
  render: () => (
    <div style={{ display: 'grid', gap: 16, maxWidth: 720, padding: 16 }}>
      <ChatMessage
        message={message('assistant-error', 'assistant', 'error', [], {
          error: { message: 'Rate limit reached for gpt-4o-mini. Try again in 20 s.', status: 429 },
        })}
        onRetry={fn()}
      />
      <ChatMessage
        message={message(
          'assistant-interrupted',
          'assistant',
          'interrupted',
          [textPart('The Loire is the longest river of France, at')],
          { error: { message: 'The connection closed before the answer finished.' } },
        )}
        onRetry={fn()}
        onResume={fn()}
      />
      <ChatMessage
        message={message('assistant-cancelled', 'assistant', 'cancelled', [
          textPart('Roses are red, the stream'),
        ])}
      />
    </div>
  ),
  play: async ({ canvas }) => {
    await expect(canvas.getByText('HTTP 429')).toBeVisible()
    await expect(canvas.getAllByRole('button', { name: 'Retry' })).toHaveLength(2)
  },
}

/** A finished exchange: the compact actions show while the pointer or the keyboard is in a message. */
export const MessageActions: Story = {
  render: () => (
    <div style={{ display: 'grid', gap: 12, maxWidth: 720, padding: 16 }}>
      <ChatMessage
        message={message('user-1', 'user', 'complete', [textPart('Which river is the longest?')])}
        onEdit={fn()}
        onCopy={fn()}
      />
      <ChatMessage
        message={message('assistant-1', 'assistant', 'complete', [textPart('The **Loire**, at 1,006 km.')])}
        onRegenerate={fn()}
        onCopy={fn()}
      />
    </div>
  ),
  play: async ({ canvas }) => {
    await expect(canvas.getAllByRole('button', { name: 'Copy' })).toHaveLength(2)
    await expect(canvas.getByRole('button', { name: 'Edit' })).toBeInTheDocument()
    await expect(canvas.getByRole('button', { name: 'Regenerate' })).toBeInTheDocument()
  },
}

/** Tool cards in their end states and a finished reasoning block, opened. */
export const ToolsAndReasoning: Story = {
  render: () => (
    <div style={{ display: 'grid', gap: 12, maxWidth: 720, padding: 16 }}>
      <Reasoning
        part={reasoningPart('The user wants the weather in two cities: call the tool twice.', 'done', 3)}
        defaultOpen
      />
      <ToolCallCard part={toolCallPart('output-available', 'call_paris')} defaultOpen />
      <ToolCallCard part={toolCallPart('output-error', 'call_london')} />
      <ToolCallCard part={toolCallPart('cancelled', 'call_rome')} />
    </div>
  ),
  play: async ({ canvas }) => {
    await expect(canvas.getAllByRole('group').length).toBeGreaterThan(0)
  },
}
