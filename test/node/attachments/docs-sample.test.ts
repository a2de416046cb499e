/** docs/attachments.md shows its sample verbatim: the file the Chromium test runs. */
import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'

test('the docs sample is the tested file, verbatim', () => {
  const docs = readFileSync('docs/attachments.md', 'utf8')
  const match = /<!-- sample: (\S+) -->\n```tsx\n([\s\S]*?)^```/m.exec(docs)
  expect(match?.[1]).toBe('test/browser/attachments/attachments-sample.tsx')
  expect(match?.[2]).toBe(readFileSync(match?.[1] ?? '', 'utf8'))
})
