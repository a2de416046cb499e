/**
 * Turns a non-2xx response into a {@link ChatRequestError} that carries the provider's own
 * error message and the HTTP status, so the error message in the UI says what the provider
 * said ("Incorrect API key provided", "Rate limit reached for gpt-4o") instead of "500".
 *
 * @example
 * ```ts
 * if (!response.ok) throw await readErrorResponse(response, protocols.anthropic)
 * ```
 * @module
 */
import type { MessageError } from '../message.ts'
import type { Protocol } from '../protocol.ts'
import { describeMediaType, isHtml, mediaType, quoteBody } from './content-type.ts'
import { formatBytes, type ReadCappedBodyOptions, readCappedBody } from './read-capped-body.ts'
import { ChatRequestError } from './transport.ts'

/**
 * The most of an error body that is read: every provider's JSON error fits many times over,
 * and a 200 MB error page costs no more than this (the rest is never read).
 */
export const maxErrorBodyBytes = 64 * 1024

/** Options of {@link readErrorResponse}. */
export interface ReadErrorResponseOptions {
  /** The most bytes of the body read; default {@link maxErrorBodyBytes}. */
  maxBytes?: number
  /** Wraps each read of the body (a transport's timeouts, so a stalled error body cannot hang). */
  read?: ReadCappedBodyOptions['read']
}

/**
 * Read an error response. At most 64 KiB of the body are read (the rest is cancelled). A JSON
 * body is handed to the protocol's `decodeError`; common shapes (`{error: {message}}`,
 * `{error: "…"}`, `{message}`) are understood when the protocol has no decoder or does not
 * recognize the body. Anything else (an HTML page from a proxy, plain text) becomes a message
 * with the status, the content type and a short quote (an HTML page's title), never the whole body.
 *
 * @example
 * ```ts
 * const error = await readErrorResponse(new Response('{"error":{"message":"Bad key"}}', { status: 401 }), protocol)
 * error.error // { message: 'Bad key', status: 401 }
 * ```
 */
export async function readErrorResponse(
  response: Response,
  protocol: Protocol,
  options: ReadErrorResponseOptions = {},
): Promise<ChatRequestError> {
  const maxBytes = options.maxBytes ?? maxErrorBodyBytes
  let text = ''
  let truncated = false
  let unread: string | undefined
  try {
    ;({ text, truncated } = await readCappedBody(
      response,
      maxBytes,
      options.read ? { read: options.read } : {},
    ))
  } catch (cause) {
    // The body failed too (a dropped connection, a timeout): the status is all there is.
    unread = cause instanceof Error ? cause.message : String(cause)
  }
  const type = mediaType(response.headers.get('content-type'))
  // Only JSON goes to the decoders: they would make any other text the message, whole. A JSON
  // body cut by the cap is not JSON any more: it is quoted like text.
  let decoded: MessageError | undefined
  if (!truncated && text.trim() !== '' && !isHtml(type)) {
    let body: unknown
    let parsed = false
    try {
      body = JSON.parse(text) as unknown
      parsed = true
    } catch {
      // Not JSON (plain text from a proxy): described below.
    }
    if (parsed) decoded = protocol.decodeError?.(body, response.status) ?? commonErrorShape(body)
  }
  const error: MessageError = decoded
    ? { ...decoded, message: capped(decoded.message), status: response.status }
    : {
        message:
          unread === undefined
            ? unrecognizedBodyMessage(response, type, text, truncated, maxBytes)
            : `The server answered ${statusLine(response)} with ${describeMediaType(type)}, but its body could not be read (${unread}).`,
        status: response.status,
      }
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'))
  return new ChatRequestError('http', error, retryAfter === undefined ? {} : { retryAfter })
}

/** The longest provider message shown; real ones are a sentence or two. */
const maxMessageLength = 2000

/** A provider's message, cut (with an ellipsis) past {@link maxMessageLength}. */
function capped(message: string): string {
  return message.length > maxMessageLength ? `${message.slice(0, maxMessageLength - 1)}…` : message
}

/** `502 Bad Gateway`, or `502` when the server sent no reason phrase (HTTP/2 never does). */
function statusLine(response: Response): string {
  return `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`
}

/** "The server answered 502 Bad Gateway with an HTML page (text/html): "502 Bad Gateway"." */
function unrecognizedBodyMessage(
  response: Response,
  type: string | undefined,
  text: string,
  truncated: boolean,
  maxBytes: number,
): string {
  const status = statusLine(response)
  if (text.trim() === '') return `The server answered ${status} with an empty body.`
  const quote = quoteBody(text, type)
  const size = truncated ? ` of more than ${formatBytes(maxBytes)}` : ''
  const hint = isHtml(type)
    ? ' An HTML error page usually comes from a proxy or the web server in front of the API, not from the API itself.'
    : ''
  return `The server answered ${status} with ${describeMediaType(type)}${size}${quote === '' ? '.' : `: "${quote}".`}${hint}`
}

function commonErrorShape(body: unknown): MessageError | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const record = body as Record<string, unknown>
  const inner = record.error
  if (typeof inner === 'string') return { message: inner }
  if (typeof inner === 'object' && inner !== null) {
    const { message, code, type } = inner as Record<string, unknown>
    if (typeof message === 'string') {
      const error: MessageError = { message }
      const errorCode = typeof code === 'string' ? code : typeof type === 'string' ? type : undefined
      if (errorCode !== undefined) error.code = errorCode
      return error
    }
  }
  if (typeof record.message === 'string') return { message: record.message }
  return undefined
}

/** `Retry-After` is seconds or an HTTP date (RFC 9110 §10.2.3); returns milliseconds. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}
