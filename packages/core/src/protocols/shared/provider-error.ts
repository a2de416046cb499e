/**
 * Error values as several wires write them → Sluice {@link MessageError}. Naming:
 * `errorFrom<Wire>` reads a payload, `errorTo<Wire>` writes one, `errorFrom<Wire>Response` reads
 * the body of a failed HTTP response.
 *
 * - OpenAI's error payloads (`{"error":{message,type,code}}`, `{"error":"…"}`, vLLM's
 *   `{"object":"error",…}`): OpenAI Chat and every OpenAI-compatible server.
 * - Agent backends' error values (a string, or `{message|error|detail, code?, status?}`).
 *
 * @module
 */
import type { MessageError } from '../../message.ts'
import { isRecord, numberField, stringField } from '../json-frame.ts'

/**
 * Read an error value: a bare string, or an object with `message` (or `error`/`detail`) and an
 * optional `code` (string or number; a number becomes its decimal string) and `status`.
 * Returns `undefined` for anything else (`null`, `false`), which is "no error".
 *
 * @example
 * ```ts
 * errorFromBackend('Rate limit exceeded') // { message: 'Rate limit exceeded' }
 * errorFromBackend({ message: 'Overloaded', code: 529 }) // { message: 'Overloaded', code: '529' }
 * ```
 */
export function errorFromBackend(
  value: unknown,
  fallbackMessage = 'The backend reported an error.',
): MessageError | undefined {
  if (typeof value === 'string') return { message: value === '' ? fallbackMessage : value }
  if (!isRecord(value)) return undefined
  const message =
    stringField(value.message) ?? stringField(value.error) ?? stringField(value.detail) ?? fallbackMessage
  const error: MessageError = { message }
  const code = stringField(value.code) ?? numberField(value.code)?.toString()
  if (code !== undefined) error.code = code
  const status = numberField(value.status)
  if (status !== undefined) error.status = status
  return error
}

/**
 * Write a {@link MessageError} as `{message, code?}`.
 *
 * @example
 * ```ts
 * errorToBackend({ message: 'Overloaded', code: 'overloaded' }) // { message: 'Overloaded', code: 'overloaded' }
 * ```
 */
export function errorToBackend(error: MessageError): { message: string; code?: string } {
  return error.code === undefined ? { message: error.message } : { message: error.message, code: error.code }
}

/**
 * Read the body of a failed HTTP response from an agent backend: a JSON object whose `fields`
 * (tried in order; FastAPI answers `{"detail": …}`) hold an error value {@link errorFromBackend}
 * reads, or a plain-text body that is the message. `status` is the HTTP status.
 *
 * @example
 * ```ts
 * errorFromBackendResponse({ detail: 'Not found' }, 404, ['error', 'detail']) // { message: 'Not found', status: 404 }
 * errorFromBackendResponse('Bad gateway', 502, ['error']) // { message: 'Bad gateway', status: 502 }
 * ```
 */
export function errorFromBackendResponse(
  body: unknown,
  status: number,
  fields: readonly string[],
): MessageError | undefined {
  let error: MessageError | undefined
  if (isRecord(body)) {
    for (const field of fields) {
      error = errorFromBackend(body[field])
      if (error !== undefined) break
    }
  } else if (typeof body === 'string' && body.trim() !== '') {
    error = { message: body.trim() }
  }
  return error === undefined ? undefined : { ...error, status }
}

/**
 * The provider's error in an OpenAI-style payload: `{"error":{message,type,code}}`,
 * `{"error":"…"}`, or vLLM's `{"object":"error","message":…,"code":…}`. `code` falls back to
 * `type`. Returns `undefined` when the payload is no error.
 *
 * @example
 * ```ts
 * errorFromOpenAI({ error: { message: 'Overloaded', type: 'server_error', code: null } })
 * // { message: 'Overloaded', code: 'server_error' }
 * ```
 */
export function errorFromOpenAI(value: Record<string, unknown>): MessageError | undefined {
  let source: Record<string, unknown>
  if (value.object === 'error') source = value
  else if (typeof value.error === 'string') return { message: value.error }
  else if (isRecord(value.error)) source = value.error
  else return undefined
  const message = stringField(source.message)
  const error: MessageError = {
    message:
      message ??
      `The server sent an error without a message (fields: ${Object.keys(source).slice(0, 8).join(', ') || 'none'}).`,
  }
  const code = source.code
  const codeText =
    typeof code === 'string' && code !== ''
      ? code
      : typeof code === 'number'
        ? String(code)
        : (stringField(source.type) ?? undefined)
  if (codeText !== undefined && codeText !== '') error.code = codeText
  const status = numberField(source.status)
  if (status !== undefined) error.status = status
  return error
}
