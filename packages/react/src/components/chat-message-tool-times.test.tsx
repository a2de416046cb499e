import type { MessagePart } from '@sluice/core'
import { expect, test } from 'vitest'
import { render } from 'vitest-browser-react'
import { expectNoAxeViolations, makeMessage } from '../../../../test/browser/components/helpers.ts'
import { ChatMessage } from './chat-message.tsx'
import { formatToolTime, toolExecutionTimes } from './chat-message-tool-times.ts'

const call = (id: string, state: 'running' | 'output-available' | 'output-error'): MessagePart => ({
  type: 'tool-call',
  toolCallId: id,
  toolName: 'get_weather',
  state,
  inputText: '{"city":"Paris"}',
  input: { city: 'Paris' },
  ...(state === 'output-error' ? { errorText: 'Timed out' } : {}),
})

const time = (toolCallId: string, executionTimeMs: unknown): MessagePart => ({
  type: 'data',
  name: 'tool-execution',
  id: toolCallId,
  data: { toolCallId, success: true, executionTimeMs },
})

test('a finished tool card names how long the backend says it ran; a running one does not', async () => {
  const message = makeMessage('a1', 'streaming', [
    call('c1', 'output-available'),
    time('c1', 1234),
    call('c2', 'output-error'),
    time('c2', 340),
    call('c3', 'running'),
    time('c3', 5000),
  ])
  const screen = await render(<ChatMessage message={message} />)
  await expect.element(screen.getByRole('button', { name: /get_weather .*took 1\.2 s/ })).toBeVisible()
  await expect.element(screen.getByRole('button', { name: /get_weather .*took 340 ms/ })).toBeVisible()
  expect(screen.container.querySelectorAll('[data-sluice="tool-call-time"]')).toHaveLength(2)
  await expectNoAxeViolations(screen.container)
})

test('malformed or absurd times from the wire are skipped', () => {
  const message = makeMessage('a1', 'complete', [
    time('a', 'fast'),
    time('b', -1),
    time('c', Number.POSITIVE_INFINITY),
    time('d', 1e12),
    time('__proto__', 12),
  ])
  expect([...toolExecutionTimes(message)]).toEqual([['__proto__', 12]])
  expect(formatToolTime(999.6)).toBe('1.0 s')
  expect(formatToolTime(125_000)).toBe('2 min 5 s')
})
