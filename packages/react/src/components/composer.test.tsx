import { expect, test, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { render } from 'vitest-browser-react'
import { expectNoAxeViolations } from '../../../../test/browser/components/helpers.ts'
import { Composer } from './composer.tsx'

test('Enter sends the text and clears the box; focus stays in it', async () => {
  const onSend = vi.fn()
  const screen = await render(<Composer onSend={onSend} />)
  const box = screen.getByRole('textbox', { name: 'Message' })
  await box.click()
  await userEvent.keyboard('Hello there')
  await userEvent.keyboard('{Enter}')
  expect(onSend).toHaveBeenCalledExactlyOnceWith('Hello there', [])
  await expect.element(box).toHaveValue('')
  await expect.element(box).toHaveFocus()
  await expectNoAxeViolations(screen.container)
})

test('Shift+Enter breaks the line instead of sending', async () => {
  const onSend = vi.fn()
  const screen = await render(<Composer onSend={onSend} />)
  const box = screen.getByRole('textbox', { name: 'Message' })
  await box.click()
  await userEvent.keyboard('first{Shift>}{Enter}{/Shift}second')
  await expect.element(box).toHaveValue('first\nsecond')
  expect(onSend).not.toHaveBeenCalled()
  await screen.getByRole('button', { name: 'Send' }).click()
  expect(onSend).toHaveBeenCalledExactlyOnceWith('first\nsecond', [])
})

test('Send is disabled while the text is blank, and Enter sends nothing', async () => {
  const onSend = vi.fn()
  const screen = await render(<Composer onSend={onSend} />)
  await expect.element(screen.getByRole('button', { name: 'Send' })).toBeDisabled()
  await screen.getByRole('textbox', { name: 'Message' }).click()
  await userEvent.keyboard('   {Enter}')
  expect(onSend).not.toHaveBeenCalled()
  await expect.element(screen.getByRole('button', { name: 'Send' })).toBeDisabled()
})

test('disabled: the box and Send are disabled', async () => {
  const screen = await render(<Composer onSend={() => {}} disabled defaultValue="Draft" />)
  await expect.element(screen.getByRole('textbox', { name: 'Message' })).toBeDisabled()
  await expect.element(screen.getByRole('button', { name: 'Send' })).toBeDisabled()
  await expectNoAxeViolations(screen.container)
})

test('while streaming Send becomes Stop; Escape and the Stop button stop; Enter does not send', async () => {
  const onSend = vi.fn()
  const onStop = vi.fn()
  const screen = await render(<Composer onSend={onSend} onStop={onStop} status="streaming" />)
  expect(screen.container.querySelector('button[data-sluice="send-button"]')).toBeNull()
  const stop = screen.getByRole('button', { name: 'Stop' })
  await expect.element(stop).toBeEnabled()
  await expectNoAxeViolations(screen.container)

  await screen.getByRole('textbox', { name: 'Message' }).click()
  await userEvent.keyboard('next question{Enter}')
  expect(onSend).not.toHaveBeenCalled()
  await userEvent.keyboard('{Escape}')
  expect(onStop).toHaveBeenCalledTimes(1)

  await stop.click()
  expect(onStop).toHaveBeenCalledTimes(2)
  expect(onSend).not.toHaveBeenCalled()
})

test('Stop turning back into Send keeps focus and does not submit the draft', async () => {
  const onSend = vi.fn()
  const onStop = vi.fn()
  const screen = await render(
    <Composer onSend={onSend} onStop={onStop} status="submitted" defaultValue="draft" />,
  )
  await screen.getByRole('button', { name: 'Stop' }).click()
  expect(onStop).toHaveBeenCalledTimes(1)
  // The chat went idle: the same button is now Send, still focused, and nothing was sent.
  await screen.rerender(<Composer onSend={onSend} onStop={onStop} status="idle" defaultValue="draft" />)
  await expect.element(screen.getByRole('button', { name: 'Send' })).toHaveFocus()
  expect(onSend).not.toHaveBeenCalled()
})

test('controlled value', async () => {
  const onValueChange = vi.fn()
  const screen = await render(<Composer onSend={() => {}} value="fixed" onValueChange={onValueChange} />)
  await screen.getByRole('textbox', { name: 'Message' }).click()
  await userEvent.keyboard('!')
  expect(onValueChange).toHaveBeenLastCalledWith('fixed!')
  await expect.element(screen.getByRole('textbox', { name: 'Message' })).toHaveValue('fixed')
})

test('with queue: while streaming Send stays beside Stop and Enter sends (the chat queues it)', async () => {
  const onSend = vi.fn()
  const onStop = vi.fn()
  const screen = await render(<Composer onSend={onSend} onStop={onStop} status="streaming" queue />)
  const stop = screen.getByRole('button', { name: 'Stop' })
  const send = screen.getByRole('button', { name: 'Send' })
  await expect.element(stop).toBeInTheDocument()
  await expect.element(send).toBeDisabled()
  await screen.getByRole('textbox', { name: 'Message' }).click()
  await userEvent.keyboard('Next question{Enter}')
  expect(onSend).toHaveBeenCalledExactlyOnceWith('Next question', [])
  await userEvent.keyboard('Another')
  await send.click()
  expect(onSend).toHaveBeenLastCalledWith('Another', [])
  expect(onStop).not.toHaveBeenCalled()
  await stop.click()
  expect(onStop).toHaveBeenCalledOnce()
  await expectNoAxeViolations(screen.container)
})
