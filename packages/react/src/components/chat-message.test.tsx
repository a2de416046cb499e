import type { Message, MessagePart } from '@sluice/core'
import { describe, expect, test, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { expectNoAxeViolations, makeMessage, text } from '../../../../test/browser/components/helpers.ts'
import { ChatMessage } from './chat-message.tsx'

function messageElement(container: HTMLElement): HTMLElement {
  return container.querySelector('[data-message-id]') as HTMLElement
}

describe('ChatMessage in every status', () => {
  test('pending: a placeholder with the typing indicator and nothing else', async () => {
    const screen = await render(
      <ChatMessage message={makeMessage('a1', 'pending', [])} onRegenerate={() => {}} />,
    )
    const element = messageElement(screen.container)
    expect(element.dataset).toMatchObject({ messageId: 'a1', role: 'assistant', status: 'pending' })
    await expect.element(screen.getByRole('status')).toHaveTextContent('Waiting for the answer')
    expect(element.querySelector('[data-sluice="caret"]')).toBeNull()
    expect(screen.container.querySelectorAll('button')).toHaveLength(0)
    await expectNoAxeViolations(screen.container)
  })

  test('streaming: the text so far with a caret, no typing indicator, no actions', async () => {
    const screen = await render(
      <ChatMessage
        message={makeMessage('a1', 'streaming', [text('t', 'Paris is **sunny', 'streaming')])}
        onRegenerate={() => {}}
      />,
    )
    const element = messageElement(screen.container)
    expect(element.dataset.status).toBe('streaming')
    await expect.element(screen.getByText('sunny')).toBeVisible()
    expect(element.querySelector('[data-sluice="caret"]')?.getAttribute('aria-hidden')).toBe('true')
    expect(screen.container.querySelector('[role="status"]')).toBeNull()
    expect(screen.container.querySelectorAll('button')).toHaveLength(0)
    await expectNoAxeViolations(screen.container)
  })

  test('between steps: the typing indicator comes back, the caret goes', async () => {
    const parts: MessagePart[] = [
      {
        type: 'tool-call',
        toolCallId: 'c1',
        toolName: 'search',
        state: 'output-available',
        inputText: '{}',
        input: {},
        output: 'ok',
      },
      { type: 'step-start' },
    ]
    const screen = await render(<ChatMessage message={makeMessage('a1', 'streaming', parts)} />)
    await expect.element(screen.getByRole('status')).toBeInTheDocument()
    expect(screen.container.querySelector('[data-sluice="caret"]')).toBeNull()
    expect(screen.container.querySelector('[data-sluice="step-separator"]')).not.toBeNull()
    await expectNoAxeViolations(screen.container)
  })

  test('complete: markdown rendered, Copy copies the text, Regenerate calls back', async () => {
    const onCopy = vi.fn()
    const onRegenerate = vi.fn()
    const message = makeMessage('a1', 'complete', [text('t', 'Paris is **sunny**.')])
    const screen = await render(<ChatMessage message={message} onCopy={onCopy} onRegenerate={onRegenerate} />)
    expect(messageElement(screen.container).dataset.status).toBe('complete')
    expect(screen.container.querySelector('strong')?.textContent).toBe('sunny')
    expect(screen.container.querySelector('[data-sluice="caret"], [role="status"]')).toBeNull()
    await screen.getByRole('button', { name: 'Copy' }).click()
    expect(onCopy).toHaveBeenCalledWith(message, 'Paris is **sunny**.')
    await expect.element(screen.getByRole('button', { name: 'Copy' })).toHaveAttribute('data-copied', '')
    await screen.getByRole('button', { name: 'Regenerate' }).click()
    expect(onRegenerate).toHaveBeenCalledWith(message)
    await expectNoAxeViolations(screen.container)
  })

  test('complete: Copy writes to the clipboard by default', async () => {
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue()
    const screen = await render(
      <ChatMessage message={makeMessage('a1', 'complete', [text('t', 'Hello there')])} />,
    )
    await screen.getByRole('button', { name: 'Copy' }).click()
    expect(writeText).toHaveBeenCalledWith('Hello there')
    writeText.mockRestore()
  })

  test('cancelled: keeps the partial answer and says it was stopped', async () => {
    const screen = await render(
      <ChatMessage message={makeMessage('a1', 'cancelled', [text('t', 'Paris is')])} onRetry={() => {}} />,
    )
    expect(messageElement(screen.container).dataset.status).toBe('cancelled')
    await expect.element(screen.getByText('Paris is')).toBeVisible()
    await expect.element(screen.getByText('Stopped')).toBeVisible()
    expect(screen.container.querySelector('[data-sluice="caret"], [role="status"]')).toBeNull()
    await expectNoAxeViolations(screen.container)
  })

  test('error: the provider message and a Retry button that calls back', async () => {
    const onRetry = vi.fn()
    const message = makeMessage('a1', 'error', [text('t', 'Partial')], {
      error: { message: 'Overloaded, try again later', status: 529 },
    })
    const screen = await render(<ChatMessage message={message} onRetry={onRetry} />)
    expect(messageElement(screen.container).dataset.status).toBe('error')
    await expect.element(screen.getByText('Overloaded, try again later')).toBeVisible()
    await screen.getByRole('button', { name: 'Retry' }).click()
    expect(onRetry).toHaveBeenCalledWith(message)
    expect(screen.container.querySelector('[data-sluice="caret"], [role="status"]')).toBeNull()
    await expectNoAxeViolations(screen.container)
  })

  test('interrupted: Retry and Resume call back', async () => {
    const onRetry = vi.fn()
    const onResume = vi.fn()
    const message = makeMessage('a1', 'interrupted', [text('t', 'Half an ans')])
    const screen = await render(<ChatMessage message={message} onRetry={onRetry} onResume={onResume} />)
    expect(messageElement(screen.container).dataset.status).toBe('interrupted')
    await expect
      .element(screen.getByText('The connection was lost before the answer finished.'))
      .toBeVisible()
    await screen.getByRole('button', { name: 'Resume' }).click()
    expect(onResume).toHaveBeenCalledWith(message)
    await screen.getByRole('button', { name: 'Retry' }).click()
    expect(onRetry).toHaveBeenCalledWith(message)
    await expectNoAxeViolations(screen.container)
  })
})

test('renders every part type in the order it arrived', async () => {
  const parts: MessagePart[] = [
    { type: 'reasoning', id: 'r', text: 'Think.', state: 'done', startedAt: 0, endedAt: 2000 },
    text('t1', 'Let me check.'),
    {
      type: 'tool-call',
      toolCallId: 'c1',
      toolName: 'search',
      state: 'output-available',
      inputText: '{"q":"x"}',
      input: { q: 'x' },
      output: 'found',
    },
    { type: 'step-start' },
    text('t2', 'Here it is.'),
    { type: 'source', url: 'https://example.com/a', title: 'Example A' },
    { type: 'source', url: 'javascript:alert(1)', title: 'Sneaky' },
    { type: 'file', url: 'https://example.com/report.pdf', mediaType: 'application/pdf', name: 'report.pdf' },
  ]
  const screen = await render(<ChatMessage message={makeMessage('a1', 'complete', parts)} />)
  const order = Array.from(
    screen.container.querySelectorAll('[data-sluice="message-content"] > [data-sluice]'),
    (element) => element.getAttribute('data-sluice'),
  )
  expect(order).toEqual([
    'reasoning',
    'message-text',
    'tool-call-card',
    'step-separator',
    'message-text',
    'source',
    'source',
    'file',
  ])
  await expect.element(screen.getByRole('button', { name: 'Thought for 2 s' })).toBeVisible()
  await expect
    .element(screen.getByRole('link', { name: 'Example A' }))
    .toHaveAttribute('href', 'https://example.com/a')
  expect(screen.container.querySelector('a[href^="javascript"]')).toBeNull()
  await expect.element(screen.getByText('Sneaky')).toBeVisible()
  await expect
    .element(screen.getByRole('link', { name: 'report.pdf' }))
    .toHaveAttribute('href', 'https://example.com/report.pdf')
  await expectNoAxeViolations(screen.container)
})

test('reasoning is open while it streams inside a message and closes once the answer moves on', async () => {
  const reasoning: MessagePart = {
    type: 'reasoning',
    id: 'r',
    text: 'Considering <b>options</b>',
    state: 'streaming',
    startedAt: 0,
  }
  const screen = await render(<ChatMessage message={makeMessage('a1', 'streaming', [reasoning])} />)
  await expect
    .element(screen.getByRole('button', { name: 'Thinking…' }))
    .toHaveAttribute('aria-expanded', 'true')
  expect(screen.container.querySelector('b')).toBeNull()
  await expect.element(screen.getByText('Considering <b>options</b>')).toBeVisible()

  const done: MessagePart = { ...reasoning, state: 'done', endedAt: 3000 }
  await screen.rerender(
    <ChatMessage message={makeMessage('a1', 'streaming', [done, text('t', 'Answer', 'streaming')])} />,
  )
  await expect
    .element(screen.getByRole('button', { name: 'Thought for 3 s' }))
    .toHaveAttribute('aria-expanded', 'false')
})

test('a finished part does not re-render while the next part streams', async () => {
  const renders: string[] = []
  const renderPart = (part: MessagePart) => {
    if (part.type === 'text') renders.push(part.id)
    return undefined
  }
  const first = text('t1', 'Done paragraph.')
  const screen = await render(
    <ChatMessage
      message={makeMessage('a1', 'streaming', [first, text('t2', 'Grow', 'streaming')])}
      renderPart={renderPart}
    />,
  )
  expect(renders).toEqual(['t1', 't2'])
  await screen.rerender(
    <ChatMessage
      message={makeMessage('a1', 'streaming', [first, text('t2', 'Growing', 'streaming')])}
      renderPart={renderPart}
    />,
  )
  expect(renders).toEqual(['t1', 't2', 't2'])
})

test('user text is shown as typed, not as markdown or HTML', async () => {
  const message: Message = {
    id: 'u1',
    role: 'user',
    status: 'complete',
    parts: [text('t', '**not bold** <i>x</i>')],
  }
  const screen = await render(<ChatMessage message={message} />)
  expect(messageElement(screen.container).dataset.role).toBe('user')
  expect(screen.container.querySelector('strong, i')).toBeNull()
  await expect.element(screen.getByText('**not bold** <i>x</i>')).toBeVisible()
})

test('edit and resend: Edit opens an editor, Enter resends the new text, Escape cancels', async () => {
  const onEdit = vi.fn()
  const message: Message = {
    id: 'u1',
    role: 'user',
    status: 'complete',
    parts: [text('t', 'Weather in Paris?')],
  }
  const screen = await render(<ChatMessage message={message} onEdit={onEdit} />)
  await screen.getByRole('button', { name: 'Edit' }).click()
  const editor = screen.getByRole('textbox', { name: 'Edit message' })
  await expect.element(editor).toHaveValue('Weather in Paris?')
  await expect.element(editor).toHaveFocus()
  await expectNoAxeViolations(screen.container)
  await userEvent.keyboard('{Escape}')
  await expect.element(screen.getByRole('button', { name: 'Edit' })).toBeVisible()
  expect(onEdit).not.toHaveBeenCalled()

  await screen.getByRole('button', { name: 'Edit' }).click()
  await editor.fill('Weather in Lyon?')
  await userEvent.keyboard('{Enter}')
  expect(onEdit).toHaveBeenCalledWith(message, 'Weather in Lyon?')
  await expect.element(screen.getByText('Weather in Paris?')).toBeVisible()
})

test('Tab reaches the actions in order', async () => {
  const screen = await render(
    <>
      <button type="button">Before</button>
      <ChatMessage
        message={makeMessage('a1', 'complete', [text('t', 'Answer')])}
        onCopy={() => {}}
        onRegenerate={() => {}}
      />
    </>,
  )
  await screen.getByRole('button', { name: 'Before' }).click()
  await userEvent.tab()
  await expect.element(screen.getByRole('button', { name: 'Copy' })).toHaveFocus()
  await userEvent.tab()
  await expect.element(screen.getByRole('button', { name: 'Regenerate' })).toHaveFocus()
})
