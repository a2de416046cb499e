import { useState } from 'react'
import { describe, expect, test, vi } from 'vitest'
import { render } from 'vitest-browser-react'
import { expectNoAxeViolations } from '../../../../test/browser/components/helpers.ts'
import '../theme.css'
import { FeedbackButtons, type FeedbackValue } from './feedback-buttons.tsx'

function Rating({ onChange }: { onChange: (value: FeedbackValue | undefined) => void }) {
  const [value, setValue] = useState<FeedbackValue>()
  return (
    <FeedbackButtons
      value={value}
      onChange={(next) => {
        setValue(next)
        onChange(next)
      }}
    />
  )
}

describe('FeedbackButtons', () => {
  test('"Good response" / "Bad response" toggle with aria-pressed; pressing again clears', async () => {
    const onChange = vi.fn()
    const screen = await render(<Rating onChange={onChange} />)
    const good = screen.getByRole('button', { name: 'Good response' })
    const bad = screen.getByRole('button', { name: 'Bad response' })
    await expect.element(good).toHaveAttribute('aria-pressed', 'false')
    await good.click()
    await expect.element(good).toHaveAttribute('aria-pressed', 'true')
    await bad.click()
    await expect.element(good).toHaveAttribute('aria-pressed', 'false')
    await expect.element(bad).toHaveAttribute('aria-pressed', 'true')
    await bad.click()
    await expect.element(bad).toHaveAttribute('aria-pressed', 'false')
    expect(onChange.mock.calls).toEqual([['positive'], ['negative'], [undefined]])
    await expectNoAxeViolations(screen.container)
  })
})
