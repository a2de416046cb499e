#!/usr/bin/env node
// Packs the workspace packages the way npm publishes them (`npm pack`: only `files`, the README
// and the LICENSE) into one directory, under names without the version (`sluice-react.tgz`), so
// the examples' `file:` dependencies and lockfiles do not change with each release. What the
// examples install is what users will install, not the workspace's symlinks.
//
// Usage: node scripts/example-tarballs.mjs [directory]   (default: examples/packed, git-ignored)
// Run `npm run build` first: the tarballs hold `dist/`.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Every published package; `@sluice/server` is packed and checked although no example uses it yet. */
export const packageNames = ['core', 'react', 'msw', 'server']

/**
 * Packs every package into `destination` as `sluice-<name>.tgz` and returns their paths by name.
 *
 * @example
 * ```js
 * const tarballs = packPackages('/tmp/packed') // { core: '/tmp/packed/sluice-core.tgz', … }
 * ```
 */
export function packPackages(destination) {
  mkdirSync(destination, { recursive: true })
  const tarballs = {}
  for (const name of packageNames) {
    const directory = join(root, 'packages', name)
    if (!existsSync(join(directory, 'dist'))) {
      throw new Error(`example-tarballs: packages/${name}/dist is missing. Run \`npm run build\` first.`)
    }
    const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
      cwd: directory,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const [packed] = JSON.parse(output)
    const target = join(destination, `sluice-${name}.tgz`)
    rmSync(target, { force: true })
    renameSync(join(destination, packed.filename), target)
    tarballs[name] = target
  }
  return tarballs
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const destination = resolve(process.argv[2] ?? join(root, 'examples', 'packed'))
  const tarballs = packPackages(destination)
  for (const path of Object.values(tarballs)) console.log(path)
}
