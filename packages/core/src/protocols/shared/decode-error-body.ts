/**
 * The body of a provider's failed HTTP response (parsed JSON, or text that may be JSON) →
 * {@link MessageError}, for providers whose error bodies are JSON objects.
 *
 * @module
 */
import type { MessageError } from '../../message.ts'

/**
 * Read `body` with the protocol's `read` (which gets the parsed JSON value and says where the
 * provider keeps its message and code) and add the HTTP `status`. A text body that is not JSON
 * (a proxy's HTML or plain-text page) is the message itself, trimmed; an empty one is no error.
 *
 * @example
 * ```ts
 * decodeErrorBody('{"error":"model not found"}', 404, errorFromOllama) // { message: 'model not found', status: 404 }
 * decodeErrorBody('Bad gateway', 502, errorFromOllama) // { message: 'Bad gateway', status: 502 }
 * ```
 */
export function decodeErrorBody(
  body: unknown,
  status: number,
  read: (value: unknown) => MessageError | undefined,
): MessageError | undefined {
  let value = body
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body) as unknown
    } catch {
      const text = body.trim()
      return text === '' ? undefined : { message: text, status }
    }
  }
  const error = read(value)
  return error === undefined ? undefined : { ...error, status }
}
