/**
 * The playground's `math` scenario end to end (issue 15): formulas stream in as text and become
 * KaTeX with MathML once closed; currency stays text; the table of formulas never shows raw pipes
 * once the answer is complete.
 */
import { expect, test } from '@playwright/test'
import { lastAnswer, openPlayground, sendMessage } from './playground.ts'

test('math: inline and display formulas render with KaTeX and MathML, currency stays text', async ({
  page,
}) => {
  await openPlayground(page, 'provider=openai-chat&scenario=math')
  await sendMessage(page, 'Show me some formulas')
  const answer = lastAnswer(page)
  await expect(answer).toHaveAttribute('data-status', 'complete')
  // $f(x) = x^2$, $0$, $1$, the display integral, \(e^{i\pi} + 1 = 0\), \[…\] and the four in the table.
  const formulas = answer.locator('.katex')
  await expect(formulas.first()).toBeVisible()
  expect(await formulas.count()).toBeGreaterThanOrEqual(9)
  // Every formula carries MathML for screen readers.
  expect(await answer.locator('.katex math').count()).toBe(await formulas.count())
  await expect(answer.locator('table')).toBeVisible()
  await expect(answer.locator('table .katex')).toHaveCount(4)
  // Currency is not math, and no raw delimiters or pipes are left in the rendered answer.
  await expect(answer).toContainText('Prices such as $5 and $10 stay text')
  const text = (await answer.innerText()).replace(/\s+/g, ' ')
  expect(text).not.toContain('$$')
  expect(text).not.toContain('\\(')
  expect(text).not.toContain('| series |')
})
