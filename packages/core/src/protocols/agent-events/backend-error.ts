/**
 * Error values as agent backends write them → Sluice {@link MessageError}.
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
