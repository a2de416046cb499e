import { describe, expect, test } from 'vitest'
import { normalizeOrigin, sanitizeUrl } from './sanitize-url.ts'

const link = { purpose: 'link', baseUrl: 'https://app.example.com/chat' } as const
const image = { purpose: 'image', baseUrl: 'https://app.example.com/chat' } as const

describe('sanitizeUrl', () => {
  test.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'java\u0000script:alert(1)',
    '\u0001javascript:alert(1)',
    '&#106;avascript:alert(1)',
    '&#x6A;avascript:alert(1)',
    '&#0000106;avascript:alert(1)',
    'javascript&colon;alert(1)',
    'java&Tab;script:alert(1)',
    'javascript%3Aalert(1)',
    '%6Aavascript:alert(1)',
    '&amp;#106;avascript:alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'blob:https://app.example.com/1',
  ])('refuses %j as a link and as an image', (url) => {
    expect(sanitizeUrl(url, link)).toBeNull()
    expect(sanitizeUrl(url, { ...image, allowDataImages: true })).toBeNull()
  })

  test('keeps http(s), mailto and tel links, decoding character references', () => {
    expect(sanitizeUrl('https://example.com/a?b=1&amp;c=2', link)).toEqual({
      url: 'https://example.com/a?b=1&c=2',
      origin: 'https://example.com',
      scheme: 'https',
    })
    expect(sanitizeUrl('mailto:someone@example.com', link)?.origin).toBeNull()
    expect(sanitizeUrl('tel:+123', link)?.scheme).toBe('tel')
    expect(sanitizeUrl('/docs#intro', link)).toEqual({
      url: '/docs#intro',
      origin: 'https://app.example.com',
      scheme: 'https',
    })
  })

  test('gives the origin the browser would contact for tricky relative forms', () => {
    expect(sanitizeUrl('//evil.example/x.png', image)?.origin).toBe('https://evil.example')
    expect(sanitizeUrl('/\\evil.example/x.png', image)?.origin).toBe('https://evil.example')
    expect(sanitizeUrl('HTTPS://EVIL.example:443/x.png', image)?.origin).toBe('https://evil.example')
  })

  test('allows only raster data images, only when opted in', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo='
    expect(sanitizeUrl(png, image)).toBeNull()
    expect(sanitizeUrl(png, { ...image, allowDataImages: true })).toEqual({
      url: png,
      origin: null,
      scheme: 'data',
    })
    expect(sanitizeUrl(png, { ...link, allowDataImages: true } as never)).toBeNull()
    expect(sanitizeUrl('data:image/svg+xml;base64,PHN2Zy8+', { ...image, allowDataImages: true })).toBeNull()
    expect(
      sanitizeUrl('data:image/png,<svg onload=alert(1)>', { ...image, allowDataImages: true }),
    ).toBeNull()
  })

  test('mailto and tel are links, never images', () => {
    expect(sanitizeUrl('mailto:a@example.com', image)).toBeNull()
  })
})

describe('normalizeOrigin', () => {
  test('reduces an allow-list entry to its origin and drops invalid ones', () => {
    expect(normalizeOrigin('https://CDN.example.com/path/')).toBe('https://cdn.example.com')
    expect(normalizeOrigin('https://cdn.example.com:443')).toBe('https://cdn.example.com')
    expect(normalizeOrigin('not a url')).toBeNull()
  })
})
