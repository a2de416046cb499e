import { expect, test } from 'vitest'
import { render } from 'vitest-browser-react'

test('renders in real Chromium', async () => {
  const screen = await render(<button type="button">Send</button>)
  await expect.element(screen.getByRole('button', { name: 'Send' })).toBeVisible()
  expect(navigator.userAgent).toContain('Chrome')
})
