// Every code sample of the READMEs and guides is a tested file: a block written right after an
// `<!-- sample: path -->` line must be that file, verbatim (the file is compiled, run by its own
// test, or built and driven in Chromium by `npm run test:examples`); any other ts/tsx block is
// compiled by `npm run typecheck` (scripts/extract-readme-samples.mjs).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'

const root = join(import.meta.dirname, '..', '..', '..')
const documents = [
  'README.md',
  ...readdirSync(join(root, 'packages')).map((name) => `packages/${name}/README.md`),
  ...readdirSync(join(root, 'docs', 'guides')).map((name) => `docs/guides/${name}`),
].filter((path) => existsSync(join(root, path)))

/** The fenced blocks of `text` with the sample path written on the line before each, if any. */
function blocks(text: string) {
  const fence = /(?:^<!-- sample: (\S+) -->\n)?^```(\w*)\n([\s\S]*?)^```/gm
  return [...text.matchAll(fence)].map(([, sample, language, code]) => ({ sample, language, code }))
}

describe.each(documents)('%s', (document) => {
  const found = blocks(readFileSync(join(root, document), 'utf8'))

  test('every sample marker names a file that the block quotes verbatim', () => {
    for (const { sample, code } of found) {
      if (sample === undefined) continue
      const path = join(root, sample)
      expect(existsSync(path), `${document}: <!-- sample: ${sample} --> names no file`).toBe(true)
      expect(code, `${document}: the block after <!-- sample: ${sample} --> is not that file`).toBe(
        readFileSync(path, 'utf8'),
      )
    }
  })
})

test('the quick starts are the tested files, in every document that shows them', () => {
  const readme = blocks(readFileSync(join(root, 'README.md'), 'utf8')).map((block) => block.sample)
  expect(readme).toContain('examples/vite-react/src/chat.tsx')
  expect(readme).toContain('examples/vite-react/src/mocks/browser.ts')
  expect(readme).toContain('test/node/readme/core-quick-start.ts')
  expect(readme).toContain('test/node/readme/msw-vitest.test.ts')
  const msw = blocks(readFileSync(join(root, 'packages/msw/README.md'), 'utf8')).map((block) => block.sample)
  expect(msw).toContain('test/node/readme/msw-vitest.test.ts')
})

test('no placeholder a fetch would reject: header values are ISO-8859-1 (no "sk-…")', () => {
  for (const document of documents) {
    expect(readFileSync(join(root, document), 'utf8'), document).not.toMatch(/['"]sk-[^'"]*…/)
  }
})
