#!/usr/bin/env node
// After `npm run build`: every package passes publint and Are The Types Wrong, packs without tests
// or test helpers (its packed size printed), is importable from plain Node through its `exports`
// map, and @sluice/core and @sluice/msw load no React and touch no DOM at import time. The built
// @sluice/react keeps `'use client'` where a React Server Component needs it, and its server-safe
// entries load in a React Server Components graph. Exits non-zero after all checks if any failed.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

const packages = ['core', 'msw', 'react', 'server']
let failed = false

function run(command, args, cwd) {
  try {
    return {
      ok: true,
      output: execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    }
  } catch (error) {
    return { ok: false, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }
  }
}

for (const name of packages) {
  const directory = `packages/${name}`
  const publint = run('npx', ['publint', directory, '--strict'])
  console.log(`publint @sluice/${name}: ${publint.ok ? 'ok' : 'FAILED'}`)
  if (!publint.ok) {
    failed = true
    console.log(publint.output)
  }
  // A stylesheet has no types to check.
  const stylesheets = Object.keys(manifest(name).exports).filter((entry) => entry.endsWith('.css'))
  const exclude = stylesheets.length > 0 ? ['--exclude-entrypoints', ...stylesheets] : []
  const attw = run('npx', [
    'attw',
    '--pack',
    directory,
    '--profile',
    'esm-only',
    '--format',
    'table-flipped',
    ...exclude,
  ])
  console.log(`attw @sluice/${name}: ${attw.ok ? 'ok' : 'FAILED'}`)
  if (!attw.ok) {
    failed = true
    console.log(attw.output)
  }
  const pack = run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], directory)
  if (!pack.ok) {
    failed = true
    console.log(`npm pack @sluice/${name}: FAILED\n${pack.output}`)
    continue
  }
  const [packed] = JSON.parse(pack.output)
  const paths = packed.files.map((file) => file.path)
  // What users never need: tests, type tests, stories and the helpers only tests import.
  const testFiles = paths.filter((path) =>
    /\.test(-d)?\.tsx?$|\.stories\.tsx?$|(^|\/)test-helpers\//.test(path),
  )
  const missing = ['LICENSE', 'README.md', 'package.json'].filter((path) => !paths.includes(path))
  console.log(
    `pack @sluice/${name}: ${kilobytes(packed.size)} packed, ${kilobytes(packed.unpackedSize)} unpacked, ${packed.entryCount} files${testFiles.length === 0 && missing.length === 0 ? '' : ' FAILED'}`,
  )
  if (testFiles.length > 0) {
    failed = true
    console.log(
      `  ships ${testFiles.length} test files (fix "files" in ${directory}/package.json): ${testFiles.slice(0, 5).join(', ')}`,
    )
  }
  if (missing.length > 0) {
    failed = true
    console.log(`  does not ship ${missing.join(', ')}: add the file to ${directory}/`)
  }
}

/** The package.json of packages/<name>. */
function manifest(name) {
  return JSON.parse(readFileSync(`packages/${name}/package.json`, 'utf8'))
}

function kilobytes(bytes) {
  return `${(bytes / 1000).toFixed(1)} kB`
}

// Plain Node, no bundler, no `@sluice/source` condition: the built `exports` must resolve. A resolve hook
// records every specifier, so an import of React (or of the DOM through react-dom) is caught.
const probe = `
import { register } from 'node:module'
const seen = []
register('data:text/javascript,' + encodeURIComponent(\`
  export async function resolve(specifier, context, next) {
    if (/^react(-dom)?(\\\\/|$)/.test(specifier)) throw new Error('imported ' + specifier + ' from ' + context.parentURL)
    return next(specifier, context)
  }\`))
const core = await import('@sluice/core')
const encoders = await import('@sluice/core/encoders')
const msw = await import('@sluice/msw')
if (typeof core.collectMessage !== 'function' || typeof core.createChatStore !== 'function') throw new Error('@sluice/core exports are missing')
if (Object.keys(core.protocols).length !== 12) throw new Error('@sluice/core protocols registry is incomplete')
if (typeof encoders.encoders.anthropic.createEncoder !== 'function') throw new Error('@sluice/core/encoders is missing encoders')
if (typeof msw.scenario !== 'function') throw new Error('@sluice/msw has no scenario()')
if (typeof globalThis.window !== 'undefined' || typeof globalThis.document !== 'undefined') throw new Error('a package defined window or document')
console.log('plain Node import of @sluice/core, @sluice/core/encoders, @sluice/msw: ok (no React, no DOM)')
`
const node = run('node', ['--input-type=module', '-e', probe])
console.log(node.output.trim())
if (!node.ok) failed = true

const react = run('node', [
  '--input-type=module',
  '-e',
  `const r = await import('@sluice/react'); if (typeof r.useStreamingChat !== 'function') throw new Error('@sluice/react has no useStreamingChat'); const h = await import('@sluice/react/highlight'); if (typeof h.createHighlighter !== 'function') throw new Error('@sluice/react/highlight has no createHighlighter'); console.log('plain Node import of @sluice/react and @sluice/react/highlight: ok')`,
])
console.log(react.output.trim())
if (!react.ok) failed = true

// Next.js App Router: a Server Component that imports a client module gets a client reference, and
// only a file that starts with the directive becomes one. These built files must keep it.
const clientModules = [
  'packages/react/dist/index.js',
  'packages/react/dist/hooks/conversations/use-conversations.js',
  'packages/react/dist/hooks/conversations/use-conversation-chat.js',
]
const directive = /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*['"]use client['"]/
const withoutDirective = clientModules.filter((path) => !directive.test(readFileSync(path, 'utf8')))
console.log(
  `'use client' kept in the built @sluice/react client modules: ${withoutDirective.length === 0 ? 'ok' : `FAILED (missing in ${withoutDirective.join(', ')})`}`,
)
if (withoutDirective.length > 0) failed = true

/**
 * Every JavaScript entry of @sluice/react, walked through its relative imports as a Server
 * Component's graph would be: a module that uses hooks or createContext (from react, zustand or
 * TanStack) must sit behind a 'use client' module, or the server calls a hook. Returns the paths
 * from an entry to each such module.
 */
function hooksOutsideClientBoundary(entryFile) {
  const clientOnly =
    /^import\s*\{([^}]*)\}\s*from\s*['"](?:react|zustand(?:\/[\w-]+)?|@tanstack\/react-[\w-]+)['"]/gm
  const relative = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+\.js)['"]/g
  const problems = []
  const seen = new Set()
  const walk = (file, trail) => {
    if (seen.has(file)) return
    seen.add(file)
    const source = readFileSync(file, 'utf8')
    if (directive.test(source)) return
    for (const [, names] of source.matchAll(clientOnly)) {
      if (/\b(?:use[A-Z]\w*|createContext)\b/.test(names)) {
        problems.push([...trail, file].join(' → '))
        break
      }
    }
    for (const [, specifier] of source.matchAll(relative))
      walk(join(dirname(file), specifier), [...trail, file])
  }
  walk(entryFile, [])
  return problems
}

const reactManifest = manifest('react')
const boundaryProblems = Object.entries(reactManifest.exports)
  .filter(([entry, target]) => typeof target === 'object' && !entry.endsWith('.json'))
  .flatMap(([, target]) =>
    existsSync(join('packages/react', target.default))
      ? hooksOutsideClientBoundary(join('packages/react', target.default))
      : [`${target.default} is not built`],
  )
console.log(
  `every @sluice/react entry reaches hooks only through a 'use client' module: ${boundaryProblems.length === 0 ? 'ok' : `FAILED\n  ${boundaryProblems.join('\n  ')}`}`,
)
if (boundaryProblems.length > 0) failed = true

// The server graph as Next.js builds it: `react` resolves to its react-server build (no hooks, no
// createContext) and a module that starts with 'use client' is replaced by client references
// (functions that throw when the server calls them). Every @sluice/react entry must load there,
// and the server-safe helpers must run. Both functions below run in a child process, as source.
async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.js') || url.includes('/node_modules/'))
    return next(url, context)
  const { readFileSync } = await import('node:fs')
  const source = readFileSync(new URL(url), 'utf8')
  if (!directive.test(source)) return next(url, context)
  // tsc's output declares each export on its own line: `export function name`, `export { a, b as c }`.
  const names = new Set()
  for (const match of source.matchAll(
    /^export (?:async )?(?:function\*?|const|let|class) ([A-Za-z_$][\w$]*)/gm,
  ))
    names.add(match[1])
  for (const match of source.matchAll(/^export \{([^}]*)\}/gm))
    for (const item of match[1].split(','))
      if (item.trim() !== '')
        names.add(
          item
            .trim()
            .split(/\s+as\s+/)
            .pop(),
        )
  const stub = [...names]
    .map(
      (name) =>
        `export const ${name} = () => { throw new Error('client reference ${name} called on the server') }`,
    )
    .join('\n')
  return { format: 'module', source: stub, shortCircuit: true }
}

async function serverComponentProbe(entries) {
  for (const entry of entries) await import(entry)
  const helpers = await import('@sluice/react/helpers')
  if (helpers.isMessageActive({ status: 'streaming' }) !== true)
    throw new Error('isMessageActive from @sluice/react/helpers does not run on the server')
  if (helpers.sanitizeUrl('javascript:alert(1)', { purpose: 'link' }) !== null)
    throw new Error('sanitizeUrl from @sluice/react/helpers does not run on the server')
  const conversations = await import('@sluice/react/conversations')
  if (conversations.conversationQueryKeys === undefined) throw new Error('conversationQueryKeys is missing')
  let reference = false
  // Called as a plain function on purpose: on the server it must be a throwing client reference.
  const { useConversations: clientReference } = conversations
  try {
    clientReference()
  } catch (error) {
    reference = /client reference/.test(error.message)
  }
  if (!reference) throw new Error('useConversations is not a client reference on the server')
  console.log(
    `React Server Components graph (react-server condition): ${entries.join(', ')} load, helpers run, hooks are client references: ok`,
  )
}

// Every JavaScript entry of @sluice/react's exports map (a new entry is checked without a change here).
const reactEntries = Object.keys(manifest('react').exports)
  .filter((entry) => !entry.endsWith('.css') && !entry.endsWith('.json'))
  .map((entry) => (entry === '.' ? '@sluice/react' : `@sluice/react/${entry.slice(2)}`))

const loader = `const directive = ${directive}\n${load}\nexport { load }`
const serverGraph = `import { register } from 'node:module'
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(loader)}))
await (${serverComponentProbe})(${JSON.stringify(reactEntries)})`
const rsc = run('node', ['--conditions=react-server', '--input-type=module', '-e', serverGraph])
console.log(rsc.output.trim())
if (!rsc.ok) failed = true

process.exit(failed ? 1 : 0)
