import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { describeMediaType, framingMismatch, isJsonType, mediaType, quoteBody } from './content-type.ts'

describe('framingMismatch', () => {
  it('an HTML page is a mismatch for every framing, even an explicit one', () => {
    for (const framing of ['sse', 'ndjson', 'text', 'frames'] as const) {
      for (const explicit of [false, true]) {
        expect(framingMismatch(framing, 'text/html; charset=utf-8', explicit)).toMatchObject({
          html: true,
          received: 'an HTML page (text/html)',
        })
      }
    }
    expect(framingMismatch('sse', 'application/xhtml+xml', false)?.html).toBe(true)
  })

  it('NDJSON for SSE and SSE for NDJSON are mismatches, unless framing was set by the user', () => {
    expect(framingMismatch('sse', 'application/x-ndjson', false)).toEqual({
      expected: 'an SSE stream (text/event-stream)',
      received: 'an NDJSON stream (application/x-ndjson)',
      html: false,
      actual: 'ndjson',
    })
    expect(framingMismatch('ndjson', 'text/event-stream; charset=utf-8', false)?.actual).toBe('sse')
    expect(framingMismatch('sse', 'application/x-ndjson', true)).toBeUndefined()
    expect(framingMismatch('ndjson', 'text/event-stream', true)).toBeUndefined()
  })

  it('labels real servers use for SSE are accepted: text/plain, octet-stream, none', () => {
    for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/octet-stream', null, '']) {
      expect(framingMismatch('sse', type, false)).toBeUndefined()
      expect(framingMismatch('ndjson', type, false)).toBeUndefined()
    }
  })
})

describe('media types', () => {
  it('parses and describes', () => {
    expect(mediaType(' Text/HTML ; charset=UTF-8')).toBe('text/html')
    expect(mediaType(null)).toBeUndefined()
    expect(isJsonType('application/problem+json')).toBe(true)
    expect(isJsonType('application/x-ndjson')).toBe(false)
    expect(describeMediaType('application/json')).toBe('JSON (application/json)')
    expect(describeMediaType('image/png')).toBe('a body of type image/png')
    expect(describeMediaType(undefined)).toBe('a body without a Content-Type')
  })
})

describe('quoteBody', () => {
  it("quotes an HTML page's title, entities decoded, not its markup", () => {
    expect(quoteBody('<html><head><title>Bad &amp; Gateway</title><script>x()</script>', 'text/html')).toBe(
      'Bad & Gateway',
    )
    expect(quoteBody('<!doctype html><body><h1>Not   Found</h1></body>', undefined)).toBe('Not Found')
  })

  it('is short, single-line and markup-free whatever the body holds (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 3000 }),
        fc.constantFrom('text/html', 'text/plain', undefined),
        (text, type) => {
          const quote = quoteBody(text, type, 120)
          expect(quote.length).toBeLessThanOrEqual(120)
          expect(quote).not.toMatch(/\s{2}|\n/)
          expect(quote).toBe(quote.trim())
        },
      ),
    )
  })

  it('drops control characters and bidi overrides', () => {
    expect(quoteBody('bad\u0000 \u001b[31mred\u001b[0m \u202eevil', 'text/plain')).toBe('bad [31mred[0m evil')
  })

  it('stays linear on hostile markup (64 KiB of unclosed tags)', () => {
    const started = performance.now()
    quoteBody('<script'.repeat(10_000), 'text/html')
    quoteBody('<'.repeat(64 * 1024), 'text/html')
    // A backtracking regex would take minutes here; generous for two shared cores.
    expect(performance.now() - started).toBeLessThan(2000)
  })
})
