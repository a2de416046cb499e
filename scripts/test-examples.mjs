#!/usr/bin/env node
// The example apps as a user gets them. After `npm run build`: packs every package (`npm pack`,
// what npm would publish), copies each example of examples/ into a temporary directory outside
// the repository (so nothing resolves from the workspace's node_modules), installs it from its own
// lockfile with `npm ci` plus the fresh tarballs, builds it (`vite build`, `next build`), checks
// what its build must and must not hold, and drives it in Chromium
// (test/e2e/examples-apps.spec.ts, which starts and stops each app's server).
//
// Usage: node scripts/test-examples.mjs [--keep]   (--keep leaves the temporary directory for a look)
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { packPackages } from './example-tarballs.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const keep = process.argv.includes('--keep')
const exampleNames = ['vite-react', 'nextjs']
const environment = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }

/** Runs a command and streams its output; a failure names the step and the directory. */
function step(title, command, args, cwd) {
  const started = performance.now()
  console.log(`\n▶ ${title}`)
  try {
    execFileSync(command, args, { cwd, env: environment, stdio: 'inherit' })
  } catch {
    throw new Error(`test-examples: ${title} failed (\`${command} ${args.join(' ')}\` in ${cwd}).`)
  }
  console.log(`✓ ${title} (${((performance.now() - started) / 1000).toFixed(1)} s)`)
}

/**
 * The lockfile pins every registry package; our own packages are the tarballs just packed, so
 * their recorded integrity is dropped: npm would otherwise install a cached older tarball with
 * the same hash, or refuse the new one.
 */
function unpinTarballs(lockfilePath) {
  const lockfile = JSON.parse(readFileSync(lockfilePath, 'utf8'))
  for (const entry of Object.values(lockfile.packages ?? {})) {
    if (typeof entry.resolved === 'string' && entry.resolved.startsWith('file:')) delete entry.integrity
  }
  writeFileSync(lockfilePath, `${JSON.stringify(lockfile, null, 2)}\n`)
}

/** Every file under `directory`, recursively. */
function filesUnder(directory) {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
}

const work = mkdtempSync(join(tmpdir(), 'sluice-examples-'))
environment.SLUICE_EXAMPLES_DIR = join(work, 'examples')
try {
  console.log(`test-examples: working in ${work}`)
  const tarballs = packPackages(join(work, 'examples', 'packed'))
  console.log(
    `packed ${Object.values(tarballs)
      .map((path) => basename(path))
      .join(', ')}`,
  )

  for (const name of exampleNames) {
    const directory = join(work, 'examples', name)
    cpSync(join(root, 'examples', name), directory, {
      recursive: true,
      filter: (source) => !/(^|\/)(node_modules|dist|\.next|next-env\.d\.ts)$/.test(source),
    })
    unpinTarballs(join(directory, 'package-lock.json'))
    step(`${name}: npm ci`, 'npm', ['ci', '--no-audit', '--no-fund'], directory)
    step(`${name}: npm run build`, 'npm', ['run', 'build'], directory)
  }

  // `vite build` leaves the development-only mock out: no msw code in the production bundle.
  const viteAssets = filesUnder(join(work, 'examples', 'vite-react', 'dist', 'assets'))
  const withMocks = viteAssets.filter((path) =>
    /setupWorker|mockServiceWorker|@sluice\/msw/.test(readFileSync(path, 'utf8')),
  )
  if (withMocks.length > 0) {
    throw new Error(`test-examples: the Vite production bundle holds the MSW mock: ${withMocks.join(', ')}`)
  }
  console.log('✓ vite-react: the production bundle holds no msw code')

  // lowlight is an optional peer: the examples do not install it, build anyway, and
  // @sluice/react/highlight says what to do when a code block asks for it.
  const probe = `
const { createHighlighter } = await import('@sluice/react/highlight')
const logged = []
console.error = (error) => logged.push(String(error))
const outcome = await createHighlighter()('const a = 1', 'ts').then(() => 'highlighted', (error) => error.message)
if (!/optional peer dependency of @sluice\\/react.*npm install lowlight/.test(outcome)) throw new Error('without lowlight the highlighter gave: ' + outcome)
if (logged.length !== 1) throw new Error('without lowlight the error was logged ' + logged.length + ' times')
console.log('✓ without lowlight, @sluice/react/highlight rejects with: ' + outcome)`
  step(
    'vite-react: @sluice/react/highlight without lowlight',
    'node',
    ['--input-type=module', '-e', probe],
    join(work, 'examples', 'vite-react'),
  )

  step(
    'examples in Chromium',
    'npx',
    ['playwright', 'test', '--config', join(root, 'scripts', 'examples.playwright.config.ts')],
    root,
  )
} finally {
  if (keep) console.log(`test-examples: kept ${work}`)
  else rmSync(work, { recursive: true, force: true })
}
