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
import { ChatRequestError } from './transport.ts'

/** The longest piece of an unrecognized error body quoted in the message. */
const quotedBodyLength = 300

/**
 * Read an error response. The body is parsed as JSON when it is JSON and handed to the
 * protocol's `decodeError`; common shapes (`{error: {message}}`, `{error: "…"}`, `{message}`)
 * are understood when the protocol has no decoder or does not recognize the body.
 *
 * @example
 * ```ts
 * const error = await readErrorResponse(new Response('{"error":{"message":"Bad key"}}', { status: 401 }), protocol)
 * error.error // { message: 'Bad key', status: 401 }
 * ```
 */
export async function readErrorResponse(response: Response, protocol: Protocol): Promise<ChatRequestError> {
  let text = ''
  try {
    text = await response.text()
  } catch {
    // The body failed too: the status is all there is.
  }
  let body: unknown = text
  try {
    body = text === '' ? text : (JSON.parse(text) as unknown)
  } catch {
    // Not JSON (an HTML error page from a proxy): keep the text.
  }
  const decoded = protocol.decodeError?.(body, response.status) ?? commonErrorShape(body)
  const error: MessageError = decoded
    ? { ...decoded, status: response.status }
    : {
        message:
          `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}` +
          (text.trim() === '' ? '.' : `: ${text.trim().slice(0, quotedBodyLength)}`),
        status: response.status,
      }
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'))
  return new ChatRequestError('http', error, retryAfter === undefined ? {} : { retryAfter })
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
