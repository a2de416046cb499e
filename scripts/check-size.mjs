#!/usr/bin/env node
// After `npm run build`: what an app's bundler ships at first load. size-limit's esbuild run does
// not split code, so it inlines every dynamic import and cannot tell the first-load chunk from the
// chunks loaded later. This script bundles small app entries the way an app's bundler does (code
// splitting, ESM, minified, the built packages through their `exports` map, React and zustand
// external) and prints, per entry, the gzip size of the initial chunk (the entry plus every chunk
// it imports statically) and of the lazy chunks (reached only through a dynamic `import()`).
//
// Two bundlers: Vite (Rolldown), what most React apps build with, and esbuild with `splitting`.
// esbuild keeps a re-exporting index module (`export … from`) in the bundle when one of its
// names lives in a shared chunk, and then gives every module that index imports to the first
// load, lazy or not: importing `openaiChatProtocol` from `@sluice/core` brings every decoder back
// into its first load. Its figures are printed so that shows; the budget is checked on Vite's.
// Exits non-zero when the budget entry's initial chunk (Vite) is over budget.
//
// Usage: node scripts/check-size.mjs [--verbose]   (--verbose lists every chunk and its inputs)
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build as esbuild } from 'esbuild'
import { build as viteBuild } from 'vite'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const verbose = process.argv.includes('--verbose')

/** Issue 6: `@sluice/core` + `useStreamingChat` under 15 kB gzip, react and zustand external. */
const budgetBytes = 15 * 1000

/** What an app would write. `budget: true` marks the entry the budget applies to. */
const entries = [
  {
    // The budget's own words: core + the hook. The decoder of the id is a lazy chunk fetched on
    // the first send; the next entry prints the figure with one decoder in the first load.
    name: 'useStreamingChat, protocol by id (its decoder loads on first send)',
    budget: true,
    source: `import { useStreamingChat } from '@sluice/react'
export const useChat = () => useStreamingChat({ api: '/api/chat', protocol: 'openai-chat' })`,
  },
  {
    name: 'useStreamingChat + openaiChatProtocol',
    source: `import { openaiChatProtocol } from '@sluice/core'
import { useStreamingChat } from '@sluice/react'
export const useChat = () => useStreamingChat({ api: '/api/chat', protocol: openaiChatProtocol })`,
  },
  {
    name: 'collectMessage + anthropicProtocol',
    source: `import { anthropicProtocol, collectMessage } from '@sluice/core'
export const read = (body) => collectMessage(body, anthropicProtocol)`,
  },
  {
    name: '@sluice/core, everything',
    source: `export * from '@sluice/core'`,
  },
]

const external = ['react', 'react/*', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*']
const externalPattern = /^(react|react-dom|zustand)(\/|$)/

function gzipSize(contents) {
  return gzipSync(contents, { level: 9 }).length
}

function kilobytes(bytes) {
  return `${(bytes / 1000).toFixed(2)} kB`
}

/** One chunk of a build: its gzip size, whether it loads at first, and the modules it holds. */
function chunkInfo(size, initial, modules) {
  return {
    size,
    initial,
    modules: modules.map((path) => path.replace(/^.*?(packages|node_modules)\//, '$1/')),
  }
}

/** esbuild with code splitting; initial = the entry chunk and the chunks it imports statically. */
async function bundleWithEsbuild(entryFile, outdir) {
  const result = await esbuild({
    entryPoints: [entryFile],
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    platform: 'browser',
    target: 'es2022',
    outdir,
    absWorkingDir: root,
    write: false,
    metafile: true,
    external,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  })
  // Metafile paths are relative to `absWorkingDir`; output files carry absolute paths.
  const contentsByPath = new Map(result.outputFiles.map((file) => [file.path, file.contents]))
  const outputs = result.metafile.outputs
  const entryOutput = Object.keys(outputs).find((path) => outputs[path].entryPoint !== undefined)
  const initial = new Set()
  const pending = [entryOutput]
  while (pending.length > 0) {
    const path = pending.pop()
    if (initial.has(path)) continue
    initial.add(path)
    for (const imported of outputs[path].imports) {
      if (imported.kind === 'import-statement' && !imported.external) pending.push(imported.path)
    }
  }
  return Object.keys(outputs)
    .filter((path) => !path.endsWith('.map'))
    .map((path) =>
      chunkInfo(
        gzipSize(contentsByPath.get(join(root, path))),
        initial.has(path),
        Object.keys(outputs[path].inputs),
      ),
    )
}

/** Vite's production build (Rolldown); initial = the entry chunk and its static imports. */
async function bundleWithVite(entryFile, workDirectory) {
  const result = await viteBuild({
    configFile: false,
    root: workDirectory,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      write: false,
      minify: true,
      modulePreload: false,
      rollupOptions: {
        input: entryFile,
        external: (id) => externalPattern.test(id),
        preserveEntrySignatures: 'exports-only',
      },
    },
  })
  const chunks = (Array.isArray(result) ? result[0] : result).output.filter(
    (output) => output.type === 'chunk',
  )
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]))
  const initial = new Set()
  const pending = chunks.filter((chunk) => chunk.isEntry).map((chunk) => chunk.fileName)
  while (pending.length > 0) {
    const name = pending.pop()
    if (initial.has(name)) continue
    initial.add(name)
    for (const imported of byName.get(name).imports) if (byName.has(imported)) pending.push(imported)
  }
  return chunks.map((chunk) =>
    chunkInfo(gzipSize(chunk.code), initial.has(chunk.fileName), Object.keys(chunk.modules)),
  )
}

function summarize(chunks) {
  const initial = chunks.filter((chunk) => chunk.initial)
  const lazy = chunks.filter((chunk) => !chunk.initial)
  const sum = (list) => list.reduce((total, chunk) => total + chunk.size, 0)
  return {
    initialBytes: sum(initial),
    lazyBytes: sum(lazy),
    initialCount: initial.length,
    lazyCount: lazy.length,
  }
}

// Inside the repository, so the entries resolve `@sluice/*` (and Vite its helpers) from its node_modules.
const cacheDirectory = join(root, 'node_modules', '.cache')
await mkdir(cacheDirectory, { recursive: true })
const workDirectory = await mkdtemp(join(cacheDirectory, 'sluice-check-size-'))
let failed = false
try {
  console.log('First-load size: gzip -9 per chunk, minified, react, react-dom and zustand external')
  for (const [index, entry] of entries.entries()) {
    const entryFile = join(workDirectory, `entry-${index}.js`)
    await writeFile(entryFile, `${entry.source}\n`)
    const builds = [
      ['vite', await bundleWithVite(entryFile, workDirectory)],
      ['esbuild', await bundleWithEsbuild(entryFile, join(workDirectory, `out-${index}`))],
    ]
    console.log(`  ${entry.name}`)
    for (const [bundler, chunks] of builds) {
      const summary = summarize(chunks)
      const checked = entry.budget === true && bundler === 'vite'
      const over = checked && summary.initialBytes > budgetBytes
      if (over) failed = true
      const budget = checked ? `   budget ${kilobytes(budgetBytes)}: ${over ? 'OVER' : 'ok'}` : ''
      console.log(
        `    ${bundler.padEnd(8)} initial ${kilobytes(summary.initialBytes).padStart(9)} in ${summary.initialCount} chunk(s)   lazy ${kilobytes(summary.lazyBytes).padStart(9)} in ${summary.lazyCount} chunk(s)${budget}`,
      )
      if (verbose) {
        for (const chunk of chunks.sort((a, b) => Number(b.initial) - Number(a.initial) || b.size - a.size)) {
          console.log(
            `      ${chunk.initial ? 'initial' : 'lazy   '} ${kilobytes(chunk.size).padStart(9)}  ${chunk.modules.join(', ')}`,
          )
        }
      }
    }
  }
  if (failed) {
    console.log(
      `\nThe initial chunk of "${entries.find((entry) => entry.budget).name}" is over ${kilobytes(budgetBytes)} gzip with Vite. Run with --verbose to see which modules it holds, and keep decoders and other optional code out of the first load.`,
    )
  }
} finally {
  await rm(workDirectory, { recursive: true, force: true })
}
process.exitCode = failed ? 1 : 0
