#!/usr/bin/env node
// Rewrites examples/*/package-lock.json after a change to an example's package.json or to what our
// packages depend on. After `npm run build`: packs the packages (scripts/example-tarballs.mjs),
// copies each example beside the tarballs in a temporary directory, resolves its dependencies
// from the npm registry (`npm install --package-lock-only`) and copies the lockfile back, without
// the integrity of our own tarballs (they change with every build; scripts/test-examples.mjs
// installs the fresh ones). Registry packages stay pinned with their integrity, so CI's `npm ci`
// installs exactly what was resolved here.
//
// Usage: node scripts/update-example-lockfiles.mjs
import { execFileSync } from 'node:child_process'
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { packPackages } from './example-tarballs.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const work = mkdtempSync(join(tmpdir(), 'sluice-lockfiles-'))
try {
  packPackages(join(work, 'examples', 'packed'))
  for (const name of ['vite-react', 'nextjs']) {
    const directory = join(work, 'examples', name)
    cpSync(join(root, 'examples', name, 'package.json'), join(directory, 'package.json'))
    execFileSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund', '--ignore-scripts'], {
      cwd: directory,
      stdio: 'inherit',
    })
    const lockfile = JSON.parse(readFileSync(join(directory, 'package-lock.json'), 'utf8'))
    for (const entry of Object.values(lockfile.packages ?? {})) {
      if (typeof entry.resolved === 'string' && entry.resolved.startsWith('file:')) delete entry.integrity
    }
    writeFileSync(join(directory, 'package-lock.json'), `${JSON.stringify(lockfile, null, 2)}\n`)
    copyFileSync(join(directory, 'package-lock.json'), join(root, 'examples', name, 'package-lock.json'))
    console.log(`examples/${name}/package-lock.json updated`)
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}
