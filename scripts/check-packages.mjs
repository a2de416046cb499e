#!/usr/bin/env node
// After `npm run build`: every package passes publint and Are The Types Wrong, is importable from
// plain Node through its `exports` map, and @sluice/core and @sluice/msw load no React and touch no
// DOM at import time. Exits non-zero on the first failure, with the reason.
import { execFileSync } from 'node:child_process'

const packages = ['core', 'msw', 'react']
let failed = false

function run(command, args) {
  try {
    return {
      ok: true,
      output: execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
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
  const exclude = name === 'react' ? ['--exclude-entrypoints', './theme.css', './highlight.css'] : []
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

process.exit(failed ? 1 : 0)
