import type { Message, MessagePart } from '@sluice/core'
import { expect, test } from 'vitest'
import { render } from 'vitest-browser-react'
import { expectNoAxeViolations, makeMessage, text } from '../../../../test/browser/components/helpers.ts'
import '../theme.css'
import '../theme.css'
import { ChatMessage } from './chat-message.tsx'
import { authorName, stepLabels } from './chat-message-step.tsx'

function withSteps(
  status: Message['status'],
  parts: MessagePart[],
  metadata?: Record<string, unknown>,
): Message {
  const message = makeMessage('a1', status, parts)
  return metadata === undefined ? message : { ...message, metadata }
}

const twoIterations: MessagePart[] = [
  { type: 'step-start', stepId: 'iteration-1' },
  text('t1', 'Looking it up.'),
  { type: 'step-start', stepId: 'iteration-2' },
  text('t2', 'It is sunny.', 'streaming'),
]

test('agent iterations render as separators named "Step 1 of 5" and "Step 2 of 5", step 1 included', async () => {
  const screen = await render(
    <ChatMessage message={withSteps('streaming', twoIterations, { maxIterations: 5 })} />,
  )
  await expect.element(screen.getByRole('separator', { name: 'Step 1 of 5' })).toBeVisible()
  await expect.element(screen.getByRole('separator', { name: 'Step 2 of 5' })).toBeVisible()
  await expect.element(screen.getByText('Step 2 of 5')).toBeVisible()
  const separators = screen.container.querySelectorAll('[data-sluice="step-separator"]')
  expect(separators).toHaveLength(2)
  // The label is a line of its own (not a zero-height rule overflowing into the text).
  expect((separators[0] as HTMLElement).getBoundingClientRect().height).toBeGreaterThan(8)
  await expectNoAxeViolations(screen.container)
})

test('without maxIterations a numbered step says "Step 2"; unnumbered steps stay plain rules', async () => {
  const numbered = await render(<ChatMessage message={withSteps('complete', twoIterations)} />)
  await expect.element(numbered.getByRole('separator', { name: 'Step 2' })).toBeVisible()
  await numbered.unmount()
  const plain = await render(
    <ChatMessage
      message={withSteps('complete', [text('t1', 'A'), { type: 'step-start' }, text('t2', 'B')])}
    />,
  )
  expect(plain.container.querySelector('hr[data-sluice="step-separator"]')).not.toBeNull()
  expect(plain.container.querySelector('[data-step-label]')).toBeNull()
})

test('wire values never become markup or absurd labels', () => {
  const hostile = withSteps(
    'complete',
    [
      { type: 'step-start', stepId: '<img src=x onerror=alert(1)>' },
      { type: 'step-start', stepId: 'iteration-9' },
      { type: 'step-start', stepId: 'iteration-3' },
    ],
    { maxIterations: 5 },
  )
  expect([...stepLabels(hostile).values()]).toEqual(['Step 1 of 5', 'Step 9', 'Step 3 of 5'])
  const huge = withSteps('complete', [{ type: 'step-start', stepId: 'iteration-1' }], { maxIterations: 1e12 })
  expect([...stepLabels(huge).values()]).toEqual(['Step 1'])
  const inherited = withSteps('complete', [{ type: 'step-start' }], Object.create({ maxIterations: 5 }))
  expect(stepLabels(inherited).size).toBe(0)
})

test('message-events author_name is shown as text and read before the content; markup stays text', async () => {
  const message = withSteps('complete', [text('t1', 'Hello from the researcher.')], {
    authorName: '  <b>Research</b> agent  ',
  })
  const screen = await render(<ChatMessage message={message} />)
  const author = screen.container.querySelector('[data-sluice="message-author"]') as HTMLElement
  expect(author.textContent).toBe('<b>Research</b> agent:')
  expect(author.querySelector('b')).toBeNull()
  await expect.element(screen.getByText('<b>Research</b> agent')).toBeVisible()
  await expectNoAxeViolations(screen.container)
})

test('an absurd author name is cut; a missing or blank one falls back to "Assistant"', async () => {
  expect(authorName(withSteps('complete', [], { authorName: 'x'.repeat(500) }))).toHaveLength(80)
  expect(authorName(withSteps('complete', [], { authorName: '   ' }))).toBeUndefined()
  expect(authorName(withSteps('complete', [], { authorName: 42 }))).toBeUndefined()
  const screen = await render(<ChatMessage message={withSteps('complete', [text('t1', 'Hi')])} />)
  expect(screen.container.querySelector('[data-sluice="message-author"]')).toBeNull()
  expect(screen.container.textContent).toContain('Assistant:')
})
