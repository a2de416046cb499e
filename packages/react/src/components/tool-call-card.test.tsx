import type { ToolCallPart } from '@sluice/core'
import { expect, test, vi } from 'vitest'
import { render } from 'vitest-browser-react'
import { expectNoAxeViolations } from '../../../../test/browser/components/helpers.ts'
import { ToolCallCard } from './tool-call-card.tsx'

function call(overrides: Partial<ToolCallPart>): ToolCallPart {
  return {
    type: 'tool-call',
    toolCallId: 'call_1',
    toolName: 'get_weather',
    state: 'input-streaming',
    inputText: '',
    ...overrides,
  }
}

function body(container: HTMLElement, section: 'input' | 'output'): string | null | undefined {
  return container.querySelector(`[data-sluice="tool-call-${section}"] pre`)?.textContent
}

test('shows streaming input as pretty JSON, completing the partial value, with the contract attributes', async () => {
  const screen = await render(<ToolCallCard part={call({ inputText: '{"city": "Par' })} />)
  const card = screen.container.querySelector('[data-tool-call-id="call_1"]')!
  expect(card.getAttribute('data-tool-name')).toBe('get_weather')
  expect(card.getAttribute('data-state')).toBe('input-streaming')
  await expect
    .element(screen.getByRole('button', { name: /get_weather Preparing input/ }))
    .toHaveAttribute('aria-expanded', 'true')
  expect(body(screen.container, 'input')).toBe('{\n  "city": "Par"\n}')
  await expectNoAxeViolations(screen.container)

  await screen.rerender(<ToolCallCard part={call({ inputText: '{"city": "Paris", "unit": "c' })} />)
  expect(body(screen.container, 'input')).toBe('{\n  "city": "Paris",\n  "unit": "c"\n}')
})

test('shows the raw input text when it is not JSON', async () => {
  const screen = await render(<ToolCallCard part={call({ inputText: 'city=Paris' })} />)
  expect(body(screen.container, 'input')).toBe('city=Paris')
})

test('input-available: the parsed input, ready to run', async () => {
  const screen = await render(
    <ToolCallCard
      part={call({ state: 'input-available', inputText: '{"city":"Paris"}', input: { city: 'Paris' } })}
    />,
  )
  await expect.element(screen.getByRole('button', { name: 'get_weather Ready to run' })).toBeVisible()
  expect(body(screen.container, 'input')).toBe('{\n  "city": "Paris"\n}')
  await expectNoAxeViolations(screen.container)
})

test('running: the elapsed time counts up every second', async () => {
  const startedAt = Date.now() - 3000
  const screen = await render(
    <ToolCallCard part={call({ state: 'running', inputText: '{}', input: {}, startedAt })} />,
  )
  const card = screen.container.querySelector('[data-tool-call-id="call_1"]')!
  expect(card.getAttribute('data-state')).toBe('running')
  await expect.element(screen.getByRole('button', { name: 'get_weather Running 3 s' })).toBeVisible()
  await expect
    .element(screen.getByRole('button', { name: 'get_weather Running 4 s' }), { timeout: 2500 })
    .toBeVisible()
  await expectNoAxeViolations(screen.container)
})

test('output-available: JSON output pretty-printed, text output as is, collapsed by default when loaded finished', async () => {
  const finished = call({
    state: 'output-available',
    inputText: '{"city":"Paris"}',
    input: { city: 'Paris' },
    output: { temperature: 21, sky: 'clear' },
    startedAt: 1_000,
    endedAt: 3_000,
  })
  const screen = await render(<ToolCallCard part={finished} />)
  const trigger = screen.getByRole('button', { name: 'get_weather Done in 2 s' })
  await expect.element(trigger).toHaveAttribute('aria-expanded', 'false')
  expect(body(screen.container, 'output')).toBeUndefined()

  await trigger.click()
  await expect.element(trigger).toHaveAttribute('aria-expanded', 'true')
  expect(body(screen.container, 'output')).toBe('{\n  "temperature": 21,\n  "sky": "clear"\n}')
  await expectNoAxeViolations(screen.container)

  await trigger.click()
  await expect.element(trigger).toHaveAttribute('aria-expanded', 'false')
  expect(body(screen.container, 'output')).toBeUndefined()

  // A text output arrives for the same card: shown as it is, not JSON-quoted.
  await screen.rerender(<ToolCallCard part={{ ...finished, output: 'Sunny, 21 °C' }} />)
  await trigger.click()
  expect(body(screen.container, 'output')).toBe('Sunny, 21 °C')
})

test('output-error: the error text, expanded', async () => {
  const screen = await render(
    <ToolCallCard
      part={call({ state: 'output-error', inputText: '{}', input: {}, errorText: 'City not found' })}
    />,
  )
  await expect
    .element(screen.getByRole('button', { name: 'get_weather Failed' }))
    .toHaveAttribute('aria-expanded', 'true')
  await expect.element(screen.getByText('City not found')).toBeVisible()
  await expectNoAxeViolations(screen.container)
})

test('cancelled: says so and shows what input had arrived', async () => {
  const screen = await render(
    <ToolCallCard part={call({ state: 'cancelled', inputText: '{"city": "Lo' })} defaultOpen />,
  )
  await expect.element(screen.getByRole('button', { name: 'get_weather Cancelled' })).toBeVisible()
  expect(screen.container.querySelector('[data-state="cancelled"]')).not.toBeNull()
  expect(body(screen.container, 'input')).toBe('{\n  "city": "Lo"\n}')
  await expectNoAxeViolations(screen.container)
})

test('controlled open state calls onOpenChange and follows the prop', async () => {
  const onOpenChange = vi.fn()
  const part = call({ state: 'output-available', input: {}, inputText: '{}', output: 'ok' })
  const screen = await render(<ToolCallCard part={part} open={false} onOpenChange={onOpenChange} />)
  await screen.getByRole('button').click()
  expect(onOpenChange).toHaveBeenCalledWith(true)
  await expect.element(screen.getByRole('button')).toHaveAttribute('aria-expanded', 'false')
  await screen.rerender(<ToolCallCard part={part} open onOpenChange={onOpenChange} />)
  await expect.element(screen.getByRole('button')).toHaveAttribute('aria-expanded', 'true')
})

test('a custom renderer replaces the body for its tool, and can fall back to the default', async () => {
  const part = call({ state: 'input-streaming', inputText: '{"city": "Ber' })
  const screen = await render(
    <ToolCallCard
      part={part}
      render={({ part: current, input }) =>
        current.state === 'output-available' ? undefined : (
          <p>Looking up {(input as { city: string }).city}…</p>
        )
      }
    />,
  )
  await expect.element(screen.getByText('Looking up Ber…')).toBeVisible()
  expect(body(screen.container, 'input')).toBeUndefined()

  await screen.rerender(
    <ToolCallCard
      part={{ ...part, state: 'output-available', input: { city: 'Berlin' }, output: 'Cloudy' }}
      defaultOpen
      render={({ part: current }) => (current.state === 'output-available' ? undefined : <p>Looking up</p>)}
    />,
  )
  expect(body(screen.container, 'output')).toBe('Cloudy')
})

test('model output containing HTML renders as text, never as markup', async () => {
  const payload =
    '<img src="x" onerror="window.__pwned = true"><b>bold</b><script>window.__pwned = true</script>'
  const screen = await render(
    <ToolCallCard
      part={call({
        state: 'output-available',
        inputText: JSON.stringify({ query: payload }),
        input: { query: payload },
        output: payload,
      })}
      defaultOpen
    />,
  )
  const card = screen.container.querySelector('[data-sluice="tool-call-card"]')!
  expect(card.querySelector('img, b, script')).toBeNull()
  expect(body(screen.container, 'output')).toBe(payload)
  expect(body(screen.container, 'input')).toContain('<img src=\\"x\\"')
  expect((window as { __pwned?: boolean }).__pwned).toBeUndefined()
})
