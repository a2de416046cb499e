/**
 * AG-UI's usage and error shapes: the `TokenUsage` entries of `RUN_FINISHED`, and the body of a
 * request that failed before the stream started.
 *
 * @module
 */
import type { MessageError, Usage } from '../../message.ts'
import { isRecord, numberField, stringField } from '../json-frame.ts'

const usageFields = [
  'inputTokens',
  'outputTokens',
  'totalTokens',
  'reasoningTokens',
  'cachedInputTokens',
] as const

/**
 * The sum of AG-UI `TokenUsage` entries (one per provider and model).
 *
 * @example
 * ```ts
 * usageFromAgUi([{ inputTokens: 3, outputTokens: 4 }, { inputTokens: 1 }]) // { inputTokens: 4, outputTokens: 4 }
 * ```
 */
export function usageFromAgUi(value: unknown): Usage | undefined {
  const entries = Array.isArray(value) ? value : isRecord(value) ? [value] : []
  const usage: Usage = {}
  for (const entry of entries) {
    if (!isRecord(entry)) continue
    for (const field of usageFields) {
      const count = numberField(entry[field])
      if (count !== undefined) usage[field] = (usage[field] ?? 0) + count
    }
  }
  return Object.keys(usage).length === 0 ? undefined : usage
}

/** Two usages added field by field (undefined when both are). */
export function sumUsage(left: Usage | undefined, right: Usage | undefined): Usage | undefined {
  if (left === undefined || right === undefined) return left ?? right
  const sum: Usage = { ...left }
  for (const field of usageFields) {
    if (right[field] !== undefined) sum[field] = (sum[field] ?? 0) + right[field]
  }
  return sum
}

/**
 * The error of a failed AG-UI request: a plain-text body, or JSON `{error}` (a string or
 * `{message, code}`) or `{message, code}`, as agent servers answer before the stream starts.
 *
 * @example
 * ```ts
 * errorFromAgUiResponse({ error: 'Agent not found' }, 404) // { message: 'Agent not found', status: 404 }
 * ```
 */
export function errorFromAgUiResponse(body: unknown, status: number): MessageError | undefined {
  if (typeof body === 'string') return body.trim() === '' ? undefined : { message: body, status }
  if (!isRecord(body)) return undefined
  const error = isRecord(body.error) ? body.error : body
  const message = stringField(body.error) ?? stringField(error.message)
  if (message === undefined) return undefined
  const code = stringField(error.code) ?? stringField(body.code)
  return code === undefined ? { message, status } : { message, code, status }
}
