/**
 * Serves the built Storybook (`storybook-static/`) on 127.0.0.1 for the screenshot tests:
 * `node test/screenshots/serve-storybook.mjs <port>`. Static files only, nothing but GET and
 * HEAD, no path outside the folder. Playwright's `webServer` starts and stops it.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'

const root = resolve(process.env.STORYBOOK_STATIC_DIR ?? 'storybook-static')
const port = Number(process.argv[2] ?? 6007)

const contentTypes = new Map([
  ['.html', 'text/html; charset=utf-8'],
  ['.js', 'text/javascript; charset=utf-8'],
  ['.mjs', 'text/javascript; charset=utf-8'],
  ['.css', 'text/css; charset=utf-8'],
  ['.json', 'application/json; charset=utf-8'],
  ['.svg', 'image/svg+xml'],
  ['.png', 'image/png'],
  ['.woff2', 'font/woff2'],
  ['.woff', 'font/woff'],
  ['.ttf', 'font/ttf'],
  ['.map', 'application/json; charset=utf-8'],
  ['.wasm', 'application/wasm'],
])

async function fileFor(pathname) {
  let path = normalize(join(root, decodeURIComponent(pathname)))
  if (path !== root && !path.startsWith(root + sep)) return undefined
  try {
    let info = await stat(path)
    if (info.isDirectory()) {
      path = join(path, 'index.html')
      info = await stat(path)
    }
    return info.isFile() ? { path, size: info.size } : undefined
  } catch {
    return undefined
  }
}

const server = createServer(async (request, response) => {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end()
    return
  }
  const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1')
  const file = await fileFor(pathname).catch(() => undefined)
  if (file === undefined) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`Not found: ${pathname}`)
    return
  }
  response.writeHead(200, {
    'content-type': contentTypes.get(extname(file.path)) ?? 'application/octet-stream',
    'content-length': file.size,
    'cache-control': 'no-store',
  })
  if (request.method === 'HEAD') response.end()
  else createReadStream(file.path).pipe(response)
})

server.listen(port, '127.0.0.1', () => {
  console.log(`Storybook from ${root} on http://127.0.0.1:${port}/`)
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)))
