import type { FilePart, Message } from '@sluice/core'
import { HttpResponse, http } from 'msw'
import { setupWorker } from 'msw/browser'
import { flushSync } from 'react-dom'
import { createRoot, type Root } from 'react-dom/client'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { render } from 'vitest-browser-react'
import { expectNoAxeViolations } from '../../../../test/browser/components/helpers.ts'
import { executed, findDangers, settle, watchForXss } from '../../../../test/browser/xss-checks.ts'
import { ChatMessage } from './chat-message.tsx'
import { FilePartView } from './file-part.tsx'

/**
 * Two image hosts served by MSW's service worker, so a preview really loads (and a request is
 * really observable) without any network: one the tests allow, one they never allow.
 */
const ALLOWED = 'https://images.allowed.test'
const ELSEWHERE = 'https://images.elsewhere.test'
/** The PNG both hosts serve: 4 × 3 pixels, so a loaded preview is recognisable by its size. */
const PNG_WIDTH = 4
const PNG_HEIGHT = 3

const worker = setupWorker()
/** Every image request the service worker answered, by URL. */
const served: string[] = []
/** Every request the page made (resource timing entries), as the XSS tests observe them. */
const observed: string[] = []
let observer: PerformanceObserver | undefined
let png: ArrayBuffer

watchForXss()

beforeAll(async () => {
  const canvas = new OffscreenCanvas(PNG_WIDTH, PNG_HEIGHT)
  const context = canvas.getContext('2d')!
  context.fillStyle = '#3366cc'
  context.fillRect(0, 0, PNG_WIDTH, PNG_HEIGHT)
  png = await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer()
  await worker.start({
    quiet: true,
    onUnhandledRequest: 'bypass',
    serviceWorker: { url: '/mockServiceWorker.js' },
  })
  // A PerformanceObserver, not `getEntriesByType`: the resource timing buffer (250 entries) is
  // long full of the test runner's modules, and a full buffer drops new entries silently.
  observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) observed.push(entry.name)
  })
  observer.observe({ type: 'resource' })
})

afterEach(() => {
  worker.resetHandlers()
})

afterAll(async () => {
  observer?.disconnect()
  worker.stop()
})

function serveImages(): void {
  const answer = ({ request }: { request: Request }) => {
    served.push(request.url)
    return new HttpResponse(png.slice(0), { headers: { 'content-type': 'image/png' } })
  }
  worker.use(http.get(`${ALLOWED}/*`, answer), http.get(`${ELSEWHERE}/*`, answer))
}

const requestsTo = (origin: string) => observed.filter((name) => name.startsWith(`${origin}/`))
const servedFrom = (origin: string) => served.filter((name) => name.startsWith(`${origin}/`))

function assistant(id: string, parts: Message['parts']): Message {
  return { id, role: 'assistant', status: 'complete', parts }
}

function imageFile(url: string, name = 'chart.png'): FilePart {
  return { type: 'file', url, mediaType: 'image/png', name }
}

/** Resolves once the image has loaded (or fails the test if it errors). */
async function loaded(image: HTMLImageElement): Promise<void> {
  await expect.poll(() => image.complete && image.naturalWidth > 0, { timeout: 5000 }).toBe(true)
}

describe('image files', () => {
  test('an image from an allowed origin previews at once and loads; the markdown allow-list governs it', async () => {
    serveImages()
    const url = `${ALLOWED}/reports/chart.png`
    const markdownUrl = `${ALLOWED}/reports/inline.png`
    const screen = await render(
      <ChatMessage
        message={assistant('a1', [
          {
            type: 'text',
            id: 't',
            text: `Here is the chart:\n\n![inline chart](${markdownUrl})`,
            state: 'done',
          },
          imageFile(url),
        ])}
        markdown={{ allowedOrigins: [`${ALLOWED}/`] }}
      />,
    )
    const preview = screen.container.querySelector('[data-sluice="file-preview"]') as HTMLElement
    expect(preview.dataset.state).toBe('loaded')
    expect(preview.dataset.mediaType).toBe('image/png')
    const image = preview.querySelector('img') as HTMLImageElement
    expect(image.getAttribute('src')).toBe(url)
    expect(image.getAttribute('alt')).toBe('chart.png')
    expect(image.getAttribute('referrerpolicy')).toBe('no-referrer')
    await loaded(image)
    expect([image.naturalWidth, image.naturalHeight]).toEqual([PNG_WIDTH, PNG_HEIGHT])
    await expect.element(screen.getByRole('img', { name: 'chart.png' })).toBeVisible()
    // The caption names the file and links to it (a new tab: another origin ignores `download`).
    const link = preview.querySelector('figcaption a') as HTMLAnchorElement
    expect(link.textContent).toBe('chart.png (image/png)')
    expect(link.getAttribute('href')).toBe(url)
    // The same setting let the markdown image of the same origin load too.
    const inline = screen.container.querySelector('[data-markdown] img') as HTMLImageElement
    expect(inline.getAttribute('src')).toBe(markdownUrl)
    await loaded(inline)
    await expect.poll(() => requestsTo(ALLOWED)).toEqual(expect.arrayContaining([url, markdownUrl]))
    expect(servedFrom(ALLOWED).filter((name) => name === url)).toHaveLength(1)
    await expectNoAxeViolations(screen.container)
  })

  test('an image from another origin shows a placeholder and requests nothing from it until "Load image"', async () => {
    serveImages()
    const url = `${ELSEWHERE}/photos/cat.png?session=abc`
    const screen = await render(
      <ChatMessage
        message={assistant('a2', [imageFile(url, 'cat.png')])}
        markdown={{ allowedOrigins: [ALLOWED] }}
      />,
    )
    const preview = screen.container.querySelector('[data-sluice="file-preview"]') as HTMLElement
    expect(preview.dataset.state).toBe('placeholder')
    expect(preview.querySelector('img')).toBeNull()
    // What would be fetched is visible before the user decides.
    expect(preview.querySelector('[data-sluice="file-preview-url"]')?.textContent).toBe(url)
    await expect.element(screen.getByText('cat.png', { exact: true })).toBeVisible()
    const button = screen.getByRole('button', { name: 'Load image' })
    await expect.element(button).toHaveAccessibleDescription('cat.png (image/png)')
    await expectNoAxeViolations(screen.container)
    await settle()
    expect(requestsTo(ELSEWHERE)).toEqual([])
    expect(servedFrom(ELSEWHERE)).toEqual([])

    await button.click()
    const image = preview.querySelector('img') as HTMLImageElement
    expect(preview.dataset.state).toBe('loaded')
    expect(image.getAttribute('src')).toBe(url)
    await loaded(image)
    // The observer does see this origin's requests, so the empty lists above mean something.
    await expect.poll(() => requestsTo(ELSEWHERE)).toEqual([url])
    expect(servedFrom(ELSEWHERE)).toEqual([url])
  })

  test('with no allow-list at all every http(s) image waits for a click', async () => {
    serveImages()
    const screen = await render(<ChatMessage message={assistant('a3', [imageFile(`${ALLOWED}/a.png`)])} />)
    expect(screen.container.querySelector('[data-sluice="file-preview"]')?.getAttribute('data-state')).toBe(
      'placeholder',
    )
    await settle()
    expect(servedFrom(ALLOWED).filter((name) => name.endsWith('/a.png'))).toEqual([])
  })

  test('an image that fails to load says so instead of a broken icon', async () => {
    worker.use(http.get(`${ALLOWED}/*`, () => new HttpResponse(null, { status: 404 })))
    const screen = await render(
      <FilePartView part={imageFile(`${ALLOWED}/gone.png`, 'gone.png')} allowedOrigins={[ALLOWED]} />,
    )
    const preview = screen.container.querySelector('[data-sluice="file-preview"]') as HTMLElement
    await expect.poll(() => preview.dataset.state).toBe('failed')
    expect(preview.querySelector('img')).toBeNull()
    await expect.element(screen.getByText('The image could not be loaded.')).toBeVisible()
    await expect.element(screen.getByRole('link', { name: 'gone.png (image/png)' })).toBeVisible()
  })

  test('data: images preview only when opted in, and never SVG', async () => {
    const dataPng = `data:image/png;base64,${btoa(String.fromCharCode(...new Uint8Array(png)))}`
    const off = await render(<FilePartView part={imageFile(dataPng, 'dot.png')} />)
    expect(off.container.querySelector('img')).toBeNull()
    expect(off.container.querySelector('[data-sluice="file"]')?.getAttribute('data-state')).toBe('blocked')
    expect(off.container.textContent).toBe('dot.png (image/png)')

    const on = await render(<FilePartView part={imageFile(dataPng, 'dot.png')} allowDataImages />)
    const image = on.container.querySelector('img') as HTMLImageElement
    expect(image.getAttribute('src')).toBe(dataPng)
    await loaded(image)
    expect(image.naturalWidth).toBe(PNG_WIDTH)

    const svg = await render(
      <FilePartView
        part={{
          type: 'file',
          url: 'data:image/svg+xml;base64,PHN2Zy8+',
          mediaType: 'image/svg+xml',
          name: 'x.svg',
        }}
        allowDataImages
      />,
    )
    expect(svg.container.querySelector('img')).toBeNull()
    expect(svg.container.querySelector('a')).toBeNull()
  })

  test("a blob: URL this page created previews without any allow-list; another origin's blob is refused", async () => {
    const own = URL.createObjectURL(new Blob([png], { type: 'image/png' }))
    try {
      const screen = await render(<FilePartView part={imageFile(own, 'upload.png')} />)
      const image = screen.container.querySelector('img') as HTMLImageElement
      expect(image.getAttribute('src')).toBe(own)
      await loaded(image)
      expect([image.naturalWidth, image.naturalHeight]).toEqual([PNG_WIDTH, PNG_HEIGHT])
      // The page's own file downloads under its name.
      const link = screen.container.querySelector('figcaption a') as HTMLAnchorElement
      expect(link.getAttribute('href')).toBe(own)
      expect(link.getAttribute('download')).toBe('upload.png')
    } finally {
      URL.revokeObjectURL(own)
    }

    const foreign = await render(
      <FilePartView
        part={imageFile('blob:https://evil.invalid/7b1c0a6e-0000-4000-8000-000000000000', 'x.png')}
      />,
    )
    expect(foreign.container.querySelector('img')).toBeNull()
    expect(foreign.container.querySelector('a')).toBeNull()
    expect(foreign.container.textContent).toBe('x.png (image/png)')
  })
})

describe('dangerous file URLs', () => {
  const payloads = [
    'javascript:window.__xss("plain")',
    'JaVaScRiPt:window.__xss("case")',
    ' javascript:window.__xss("space")',
    'java\tscript:window.__xss("tab")',
    '\u0000javascript:window.__xss("nul")',
    '&#106;avascript:window.__xss("entity")',
    '&#x6A;avascript&#x3A;window.__xss("hex entity")',
    'javascript&colon;window.__xss("named entity")',
    '%6Aavascript:window.__xss("percent")',
    '%256Aavascript:window.__xss("double percent")',
    'vbscript:msgbox("x")',
    'VBScript:msgbox("x")',
    'data:text/html,<script>window.__xss("data html")</script>',
    'data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3MoMSk8L3NjcmlwdD4=',
    'data:image/svg+xml,<svg onload="window.__xss(1)"/>',
    'data:image/png;base64,AAAA"><script>window.__xss(1)</script>',
    'file:///etc/passwd',
    'blob:null/0b8e2bd4-0000-4000-8000-000000000000',
    'blob:javascript:window.__xss("blob")',
  ]
  const mediaTypes = ['image/png', 'image/svg+xml', 'application/pdf', 'text/html']

  test(`${payloads.length} URLs × ${mediaTypes.length} media types, even with every option on: nothing runs, no URL reaches href/src`, async () => {
    const container = document.createElement('div')
    document.body.append(container)
    const root: Root = createRoot(container)
    const dangers: string[] = []
    try {
      for (const url of payloads) {
        for (const mediaType of mediaTypes) {
          const part: FilePart = { type: 'file', url, mediaType, name: 'payload' }
          flushSync(() =>
            root.render(
              <FilePartView part={part} allowedOrigins={[window.location.origin, ALLOWED]} allowDataImages />,
            ),
          )
          // The part rendered: its name is on screen, as text, not as a link or an image.
          const file = container.querySelector('[data-sluice="file"]')
          expect(file?.getAttribute('data-state'), `${mediaType} ${url}`).toBe('blocked')
          expect(file?.textContent, `${mediaType} ${url}`).toBe(`payload (${mediaType})`)
          for (const danger of findDangers(container, [])) dangers.push(`${mediaType} ${url}: ${danger}`)
          if (container.querySelector('a, img, button'))
            dangers.push(`${mediaType} ${url}: ${container.querySelector('a, img, button')?.outerHTML}`)
        }
      }
      await settle()
    } finally {
      root.unmount()
      container.remove()
    }
    expect(dangers).toEqual([])
    expect(executed).toEqual([])
  })
})

describe('other files', () => {
  test('a file elsewhere: a link with its name and media type, a new tab, no referrer, no download', async () => {
    const url = 'https://files.example.com/q3/report.pdf'
    const screen = await render(
      <ChatMessage
        message={assistant('f1', [{ type: 'file', url, mediaType: 'application/pdf', name: 'report.pdf' }])}
        onCopy={false}
      />,
    )
    const file = screen.container.querySelector('[data-sluice="file"]') as HTMLElement
    expect(file.dataset).toMatchObject({ state: 'link', mediaType: 'application/pdf' })
    const link = screen.getByRole('link', { name: 'report.pdf (application/pdf)' })
    await expect.element(link).toHaveAttribute('href', url)
    await expect.element(link).toHaveAttribute('target', '_blank')
    await expect.element(link).toHaveAttribute('referrerpolicy', 'no-referrer')
    await expect.element(link).not.toHaveAttribute('download')
    const rel = (link.element() as HTMLAnchorElement).relList
    expect(rel.contains('noopener') && rel.contains('noreferrer')).toBe(true)
    // No preview of any kind for a document, whatever the allow-list.
    expect(screen.container.querySelector('img, [data-sluice="file-preview"]')).toBeNull()
    await expectNoAxeViolations(screen.container)
  })

  test('a file of this origin downloads under its name; without a name the URL supplies one', async () => {
    const named = await render(
      <FilePartView
        part={{ type: 'file', url: '/exports/notes.txt', mediaType: 'text/plain', name: 'Meeting notes.txt' }}
      />,
    )
    const link = named.container.querySelector('a') as HTMLAnchorElement
    expect(link.getAttribute('href')).toBe('/exports/notes.txt')
    expect(link.getAttribute('download')).toBe('Meeting notes.txt')
    expect(link.hasAttribute('target')).toBe(false)
    expect(link.relList.contains('noopener') && link.relList.contains('noreferrer')).toBe(true)
    expect(link.textContent).toBe('Meeting notes.txt (text/plain)')

    const unnamed = await render(
      <FilePartView
        part={{
          type: 'file',
          url: 'https://files.example.com/q3/quarterly%20report.csv',
          mediaType: 'text/csv',
        }}
      />,
    )
    expect(unnamed.container.querySelector('a')?.textContent).toBe('quarterly report.csv (text/csv)')
  })

  test('an image that is not previewable is still a link (an http image whose media type says otherwise is not shown)', async () => {
    serveImages()
    const url = `${ALLOWED}/raw.png`
    const screen = await render(
      <FilePartView
        part={{ type: 'file', url, mediaType: 'application/octet-stream', name: 'raw.png' }}
        allowedOrigins={[ALLOWED]}
      />,
    )
    expect(screen.container.querySelector('img')).toBeNull()
    expect(screen.container.querySelector('a')?.getAttribute('href')).toBe(url)
    await settle()
    expect(servedFrom(ALLOWED).filter((name) => name === url)).toEqual([])
  })
})
