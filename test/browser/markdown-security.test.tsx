import { flushSync } from 'react-dom'
import { describe, expect, test } from 'vitest'
import { Markdown } from '../../packages/react/src/markdown/index.ts'
import { randomChunks, seededRandom } from './markdown-corpus.ts'
import { mount } from './mount-root.ts'
import { executed, findDangers, isEvil, requested, settle, watchForXss } from './xss-checks.ts'
import { EVIL_ORIGIN, xssCorpus } from './xss-corpus.ts'

watchForXss()

describe('the XSS corpus through Markdown', () => {
  test(`has at least 100 payloads (${xssCorpus.length})`, () => {
    expect(xssCorpus.length).toBeGreaterThanOrEqual(100)
    expect(new Set(xssCorpus.map((payload) => payload.id)).size).toBe(xssCorpus.length)
  })

  test('rendered whole: no script runs, no dangerous URL or handler in the DOM, nothing fetched', async () => {
    const { root, container } = mount()
    const dangers: string[] = []
    for (const payload of xssCorpus) {
      flushSync(() => root.render(<Markdown>{payload.markdown}</Markdown>))
      for (const danger of findDangers(container, [])) dangers.push(`${payload.id}: ${danger}`)
    }
    // Every payload at once as well, so nothing depends on being alone in a document.
    flushSync(() =>
      root.render(<Markdown>{xssCorpus.map((payload) => payload.markdown).join('\n\n')}</Markdown>),
    )
    for (const danger of findDangers(container, [])) dangers.push(`all: ${danger}`)
    await settle()
    expect(dangers).toEqual([])
    expect(executed).toEqual([])
    expect(requested.filter(isEvil)).toEqual([])
    expect(container.querySelectorAll('img')).toHaveLength(0)
  })

  test('streamed in random chunks: no intermediate state runs or fetches anything either', async () => {
    const random = seededRandom(4242)
    const { root, container } = mount()
    const dangers: string[] = []
    for (const payload of xssCorpus) {
      let text = ''
      for (const chunk of randomChunks(payload.markdown, random, 6)) {
        text += chunk
        flushSync(() => root.render(<Markdown streaming>{text}</Markdown>))
        for (const danger of findDangers(container, []))
          dangers.push(`${payload.id} at ${text.length}: ${danger}`)
      }
      flushSync(() => root.render(<Markdown>{text}</Markdown>))
      flushSync(() => root.render(<Markdown>{''}</Markdown>))
    }
    await settle()
    expect(dangers).toEqual([])
    expect(executed).toEqual([])
    expect(requested.filter(isEvil)).toEqual([])
  })

  test('with the page origin allowed and data images on, only those images load', async () => {
    const self = window.location.origin
    const { root, container } = mount()
    const dangers: string[] = []
    for (const payload of xssCorpus) {
      flushSync(() =>
        root.render(
          <Markdown allowedOrigins={[self]} allowDataImages>
            {payload.markdown}
          </Markdown>,
        ),
      )
      for (const danger of findDangers(container, [self])) dangers.push(`${payload.id}: ${danger}`)
    }
    await settle()
    expect(dangers).toEqual([])
    expect(executed).toEqual([])
    expect(requested.filter(isEvil)).toEqual([])
  })
})

describe('images and links from model output', () => {
  test('an image from an unlisted origin shows a placeholder with its URL and loads only on click', async () => {
    const url = `${window.location.origin}/__sluice_click_to_load__.png`
    const { root, container } = mount()
    flushSync(() => root.render(<Markdown>{`![a chart](${url})`}</Markdown>))
    expect(container.querySelector('img')).toBeNull()
    expect(container.querySelector('[data-markdown-image-url]')?.textContent).toBe(url)
    await settle()
    expect(requested.some((name) => name.includes('__sluice_click_to_load__'))).toBe(false)
    const button = [...container.querySelectorAll('button')].find(
      (element) => element.textContent === 'Load image',
    )
    flushSync(() => button?.click())
    expect(container.querySelector('img')?.getAttribute('src')).toBe(url)
    expect(container.querySelector('img')?.getAttribute('alt')).toBe('a chart')
    // The observer does see requests, so the "nothing fetched" checks above are meaningful.
    await expect.poll(() => requested.some((name) => name.includes('__sluice_click_to_load__'))).toBe(true)
  })

  test('an image from an allowed origin loads directly, with no referrer', async () => {
    const origin = window.location.origin
    const { root, container } = mount()
    flushSync(() =>
      root.render(
        <Markdown allowedOrigins={[`${origin}/`]}>{`![logo](${origin}/__sluice_allowed__.png)`}</Markdown>,
      ),
    )
    const image = container.querySelector('img')
    expect(image?.getAttribute('src')).toBe(`${origin}/__sluice_allowed__.png`)
    expect(image?.getAttribute('referrerpolicy')).toBe('no-referrer')
    await expect.poll(() => requested.some((name) => name.includes('__sluice_allowed__'))).toBe(true)
  })

  test('data images render only when opted in, and never SVG', () => {
    const png =
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='
    const { root, container } = mount()
    flushSync(() => root.render(<Markdown>{`![dot](${png})`}</Markdown>))
    expect(container.querySelector('img')).toBeNull()
    flushSync(() => root.render(<Markdown allowDataImages>{`![dot](${png})`}</Markdown>))
    expect(container.querySelector('img')?.getAttribute('src')).toBe(png)
    flushSync(() =>
      root.render(<Markdown allowDataImages>{'![svg](data:image/svg+xml;base64,PHN2Zy8+)'}</Markdown>),
    )
    expect(container.querySelector('img')).toBeNull()
    expect(container.querySelector('[data-markdown-image="blocked"]')?.textContent).toBe('svg')
  })

  test('links open in a new tab with rel="noopener noreferrer"; unlisted origins also get nofollow and a tooltip', () => {
    const { root, container } = mount()
    flushSync(() =>
      root.render(
        <Markdown allowedOrigins={['https://docs.example.com']}>
          {'[docs](https://docs.example.com/a) and [elsewhere](https://other.example.net/b?q=1)'}
        </Markdown>,
      ),
    )
    const [docs, elsewhere] = [...container.querySelectorAll('a')]
    expect(docs?.getAttribute('target')).toBe('_blank')
    expect(docs?.getAttribute('rel')).toBe('noopener noreferrer')
    expect(docs?.getAttribute('data-markdown-link')).toBe('allowed')
    expect(elsewhere?.getAttribute('rel')).toBe('noopener noreferrer nofollow')
    expect(elsewhere?.getAttribute('title')).toBe('https://other.example.net/b?q=1')
    expect(elsewhere?.getAttribute('data-markdown-link')).toBe('external')
  })

  test('raw HTML is shown as text', () => {
    const { root, container } = mount()
    flushSync(() => root.render(<Markdown>{'<b onclick="x()">bold?</b>\n\ninline <i>tag</i>'}</Markdown>))
    expect(container.querySelector('b, i')).toBeNull()
    expect(container.textContent).toContain('<b onclick="x()">bold?</b>')
    expect(container.textContent).toContain('inline <i>tag</i>')
  })

  test('links with dangerous schemes keep their text but lose the link', () => {
    const { root, container } = mount()
    flushSync(() =>
      root.render(<Markdown>{`[click me](${EVIL_ORIGIN.replace('https', 'javascript')})`}</Markdown>),
    )
    expect(container.querySelector('a')).toBeNull()
    expect(container.querySelector('[data-markdown-link="blocked"]')?.textContent).toBe('click me')
  })
})
