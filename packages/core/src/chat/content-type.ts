/**
 * What a response's `Content-Type` says it is, in words a user reads in an error message, and
 * whether it contradicts the framing the protocol expects.
 *
 * Only the clear cases are mismatches: an HTML page (a page of the app or its SPA fallback where
 * the API should be) for any framing, and an NDJSON stream where SSE is expected or the reverse
 * (unless `framing` was set explicitly: then the user's word wins over the label). Many real
 * servers send SSE as `text/plain`, `application/octet-stream` or with no type at all: those
 * are read as the protocol's framing, as before. JSON where a stream was expected is a whole
 * answer, decoded as such (not a mismatch).
 *
 * @example
 * ```ts
 * framingMismatch('sse', 'text/html; charset=utf-8', false)
 * // { received: 'an HTML page (text/html)', expected: 'an SSE stream (text/event-stream)', html: true }
 * ```
 * @module
 */
import type { Framing } from '../protocol.ts'

/** The media type without parameters, lowercased (`text/html`), or undefined when there is none. */
export function mediaType(contentType: string | null): string | undefined {
  if (contentType === null) return undefined
  const type = contentType.split(';')[0]!.trim().toLowerCase()
  return type === '' ? undefined : type
}

const ndjsonTypes = new Set([
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
  'application/jsonlines',
  'application/json-seq',
])

/** `text/html` or XHTML. */
export function isHtml(type: string | undefined): boolean {
  return type === 'text/html' || type === 'application/xhtml+xml'
}

/** `application/json` or any `+json` type, but not the streaming JSON types (NDJSON, JSON lines). */
export function isJsonType(type: string | undefined): boolean {
  if (type === undefined || ndjsonTypes.has(type)) return false
  return type === 'application/json' || (type.endsWith('+json') && !type.includes('ndjson'))
}

/**
 * The body a media type announces, for messages: `an HTML page (text/html)`.
 *
 * @example
 * ```ts
 * describeMediaType('application/x-ndjson') // 'an NDJSON stream (application/x-ndjson)'
 * describeMediaType(undefined) // 'a body without a Content-Type'
 * ```
 */
export function describeMediaType(type: string | undefined): string {
  if (type === undefined) return 'a body without a Content-Type'
  if (isHtml(type)) return `an HTML page (${type})`
  if (type === 'text/event-stream') return `an SSE stream (${type})`
  if (ndjsonTypes.has(type)) return `an NDJSON stream (${type})`
  if (isJsonType(type)) return `JSON (${type})`
  if (type === 'text/plain') return `plain text (${type})`
  return `a body of type ${type}`
}

const expectedByFraming: Record<Framing, string> = {
  sse: 'an SSE stream (text/event-stream)',
  ndjson: 'an NDJSON stream (application/x-ndjson)',
  text: 'a text stream',
  frames: 'a stream of messages',
}

/** A content type that contradicts the framing: what was expected and what came instead. */
export interface FramingMismatch {
  expected: string
  received: string
  /** True for an HTML page: the URL most likely points at the app, not the API. */
  html: boolean
  /** The framing the body is really in, when it is a stream in another framing. */
  actual?: Framing
}

/**
 * Whether `contentType` contradicts `framing` (see the module notes for what counts).
 * `explicit` is true when the user set `framing` themselves.
 *
 * @example
 * ```ts
 * framingMismatch('sse', 'text/plain', false) // undefined: many SSE servers label it so
 * framingMismatch('ndjson', 'text/event-stream', false)?.actual // 'sse'
 * ```
 */
export function framingMismatch(
  framing: Framing,
  contentType: string | null,
  explicit: boolean,
): FramingMismatch | undefined {
  const type = mediaType(contentType)
  const expected = expectedByFraming[framing]
  if (isHtml(type)) return { expected, received: describeMediaType(type), html: true }
  if (explicit) return undefined
  if (framing === 'sse' && type !== undefined && ndjsonTypes.has(type)) {
    return { expected, received: describeMediaType(type), html: false, actual: 'ndjson' }
  }
  if (framing === 'ndjson' && type === 'text/event-stream') {
    return { expected, received: describeMediaType(type), html: false, actual: 'sse' }
  }
  return undefined
}

/** The text between `<title…>` and `</title>`, found by index (linear in the text). */
function htmlTitle(text: string): string | undefined {
  const lower = text.toLowerCase()
  const open = lower.indexOf('<title')
  if (open < 0) return undefined
  const start = lower.indexOf('>', open)
  const end = start < 0 ? -1 : lower.indexOf('</title', start)
  return end < 0 ? undefined : text.slice(start + 1, end)
}

/** The text outside tags, one pass (no backtracking regex over hostile markup). */
function stripTags(text: string): string {
  let out = ''
  let inTag = false
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!
    if (inTag) {
      if (character === '>') inTag = false
    } else if (character === '<') {
      inTag = true
      out += ' '
    } else {
      out += character
    }
  }
  return out
}

/** `text` without C0 controls other than whitespace, DEL, and bidi embeddings / overrides / isolates. */
function withoutControls(text: string): string {
  let out = ''
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    const control =
      (code < 0x20 && (code < 0x09 || code > 0x0d)) ||
      code === 0x7f ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069)
    if (!control) out += text[index]
  }
  return out
}

/**
 * A short plain-text quote of a body for an error message: an HTML page's `<title>` (or its text
 * without tags), any other body trimmed, whitespace collapsed, at most `length` characters.
 * The quote is text for the message, never markup. Linear in the text, whatever it holds.
 *
 * @example
 * ```ts
 * quoteBody('<html><title>502 Bad Gateway</title>…', 'text/html') // '502 Bad Gateway'
 * ```
 */
export function quoteBody(text: string, type: string | undefined, length = 200): string {
  // Enough to find a title or a sentence; the rest of a large page is never scanned.
  let quote = text.slice(0, 16 * 1024)
  if (isHtml(type) || /^\s*<(!doctype|html)/i.test(quote)) {
    const title = htmlTitle(quote)
    quote = title !== undefined && title.trim() !== '' ? title : stripTags(quote)
    quote = quote
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&')
  }
  // Control characters (NUL, escape sequences) and bidi overrides never reach the message.
  quote = withoutControls(quote).replace(/\s+/g, ' ').trim()
  return quote.length > length ? `${quote.slice(0, length - 1)}…` : quote
}
