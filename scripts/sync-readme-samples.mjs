#!/usr/bin/env node
// Rewrites every block that follows an `<!-- sample: path -->` line in README.md,
// packages/*/README.md and docs/guides/*.md with the file it names, after a change to that file.
// test/node/readme/readme-samples.test.ts fails until the documents and the files agree.
//
// Usage: node scripts/sync-readme-samples.mjs
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const documents = [
  'README.md',
  ...readdirSync('packages').map((name) => join('packages', name, 'README.md')),
  ...(existsSync('docs/guides')
    ? readdirSync('docs/guides').map((name) => join('docs', 'guides', name))
    : []),
].filter((path) => existsSync(path))

for (const document of documents) {
  const text = readFileSync(document, 'utf8')
  const synced = text.replace(
    /^(<!-- sample: (\S+) -->\n```\w*\n)[\s\S]*?(^```)/gm,
    (_match, opening, path, closing) => `${opening}${readFileSync(path, 'utf8')}${closing}`,
  )
  if (synced !== text) {
    writeFileSync(document, synced)
    console.log(`${document}: samples updated`)
  }
}
