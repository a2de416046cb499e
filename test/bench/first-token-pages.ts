/**
 * Small pages for Chromium, served on 127.0.0.1, for what the built playground cannot show:
 *
 * - `/socketio.html?backend=<Socket.IO URL>`: the README's quick-start chat (`useStreamingChat`,
 *   `MessageList`, `Composer`, `theme.css`) over the `socketio` transport, with `io` from the
 *   official `socket.io-client` passed in, as a bundled app must (the playground has no Socket.IO
 *   backend mode). The Socket.IO end-to-end spec and the first-token benchmark drive it.
 * - `/raw.html`: the baseline of the first-token benchmark, no Sluice at all: one `fetch` or one
 *   `WebSocket`, each chunk's text appended to a `<p>` by hand.
 *
 * The Sluice page is bundled once per process from the packages' TypeScript sources (the
 * `@sluice/source` export condition, as the playground's Vite config does) with esbuild.
 *
 * @example
 * ```ts
 * const pages = await startFirstTokenPages()
 * await page.goto(`${pages.url}/socketio.html?backend=${encodeURIComponent(backend.httpUrl)}`)
 * await pages.close()
 * ```
 * @module
 */
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url))

/** The chat of `/socketio.html`: the README quick start over Socket.IO. */
const socketIoEntry = `
import { Composer, MessageList, useStreamingChat } from '@sluice/react'
import '@sluice/react/theme.css'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { io } from 'socket.io-client'

const backend = new URLSearchParams(location.search).get('backend') ?? ''

function Chat() {
  const chat = useStreamingChat({
    api: backend,
    protocol: 'message-events',
    transport: 'socketio',
    socketio: { io, socketOptions: { transports: ['websocket'] } },
  })
  return (
    <div className="sluice-chat">
      <MessageList chat={chat.chat} onRetry={() => chat.retry()} />
      <Composer chat={chat.chat} />
    </div>
  )
}

createRoot(document.getElementById('root')).render(<StrictMode><Chat /></StrictMode>)
`

const socketIoHtml = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Sluice over Socket.IO</title><link rel="stylesheet" href="socketio.css" /></head>
  <body><div id="root"></div><script type="module" src="socketio.js"></script></body>
</html>`

/**
 * The baseline page: no Sluice. `window.rawFirstToken(options)` sends one request and resolves
 * with the epoch time of the first frame painted after the first text was appended.
 */
const rawHtml = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Raw first token</title></head>
  <body><p id="answer"></p>
  <script>
    const now = () => performance.timeOrigin + performance.now()
    const painted = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(now()))))
    // Append each piece of text as it arrives; resolve at the paint after the first one.
    window.rawFirstToken = ({ url, kind, body, textOf }) => new Promise((resolve, reject) => {
      const answer = document.getElementById('answer')
      answer.textContent = ''
      const read = new Function('frame', 'return (' + textOf + ')(frame)')
      let first
      const append = (frame) => {
        const text = read(frame)
        if (typeof text !== 'string' || text === '') return
        answer.append(text)
        if (first === undefined) first = painted().then(resolve)
      }
      if (kind === 'websocket') {
        const socket = new WebSocket(url)
        socket.onopen = () => socket.send(JSON.stringify(body))
        socket.onmessage = (event) => {
          try { append(JSON.parse(event.data)) } catch (error) { reject(error) }
          if (first !== undefined) first.then(() => socket.close())
        }
        socket.onerror = () => reject(new Error('WebSocket error'))
        return
      }
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
        .then(async (response) => {
          const reader = response.body.getReader()
          const decoder = new TextDecoder()
          let buffered = ''
          for (;;) {
            const { value, done } = await reader.read()
            if (done) break
            buffered += decoder.decode(value, { stream: true })
            const events = buffered.split('\\n\\n')
            buffered = events.pop()
            for (const event of events) {
              const data = event.split('\\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim()).join('\\n')
              if (data !== '' && data !== '[DONE]') append(JSON.parse(data))
            }
            if (first !== undefined) { await first; reader.cancel(); break }
          }
        })
        .catch(reject)
    })
  </script></body>
</html>`

/** The pages' server. */
export interface FirstTokenPages {
  /** `http://127.0.0.1:PORT` */
  url: string
  close(): Promise<void>
}

let bundled: Promise<{ script: string; css: string }> | undefined

function bundleSocketIoPage(): Promise<{ script: string; css: string }> {
  bundled ??= build({
    stdin: { contents: socketIoEntry, loader: 'tsx', resolveDir: repositoryRoot, sourcefile: 'socketio.tsx' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    minify: true,
    outdir: '/',
    entryNames: 'socketio',
    conditions: ['@sluice/source'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  }).then((result) => {
    const file = (extension: string) =>
      result.outputFiles.find((output) => output.path.endsWith(extension))?.text ?? ''
    return { script: file('.js'), css: file('.css') }
  })
  return bundled
}

/**
 * Bundle the Sluice page (once per process) and serve both pages on a free port.
 *
 * @example
 * ```ts
 * const pages = await startFirstTokenPages()
 * ```
 */
export async function startFirstTokenPages(): Promise<FirstTokenPages> {
  const { script, css } = await bundleSocketIoPage()
  const files: Record<string, [string, string]> = {
    '/socketio.html': ['text/html; charset=utf-8', socketIoHtml],
    '/socketio.js': ['text/javascript; charset=utf-8', script],
    '/socketio.css': ['text/css; charset=utf-8', css],
    '/raw.html': ['text/html; charset=utf-8', rawHtml],
  }
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname
    const file = files[path]
    if (file === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' })
      response.end(`No ${path} here: /socketio.html or /raw.html`)
      return
    }
    response.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' })
    response.end(file[1])
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
