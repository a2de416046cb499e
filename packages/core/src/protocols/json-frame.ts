import type { MessageError } from '../message.ts'

/** The outcome of parsing one frame's JSON payload. */
export type JsonFrameResult = { ok: true; value: unknown } | { ok: false; error: MessageError }

/**
 * Parse a frame's payload as JSON, turning a syntax error into a {@link MessageError} that
 * says which protocol, what the payload began with, and what to check.
 *
 * @example
 * ```ts
 * const result = parseJsonFrame('{"a":1}', 'openai-chat')
 * if (result.ok) console.log(result.value)
 * ```
 */
export function parseJsonFrame(data: string, protocolName: string): JsonFrameResult {
  try {
    return { ok: true, value: JSON.parse(data) as unknown }
  } catch (cause) {
    const preview = data.length > 80 ? `${data.slice(0, 80)}…` : data
    return {
      ok: false,
      error: {
        code: 'invalid-frame',
        message: `Received ${withIndefiniteArticle(protocolName)} frame that is not valid JSON (${(cause as Error).message}): ${JSON.stringify(preview)}. Check that the endpoint speaks the ${protocolName} protocol and that a proxy is not altering the stream.`,
      },
    }
  }
}

/**
 * `word` with "a" or "an" before it, by its first sound: a vowel letter, or an acronym whose
 * first letter is spoken with a vowel (`an SSE`, `an NDJSON`, but `a JSON`).
 *
 * @example
 * ```ts
 * withIndefiniteArticle('anthropic') // 'an anthropic'
 * withIndefiniteArticle('line') // 'a line'
 * withIndefiniteArticle('SSE') // 'an SSE'
 * ```
 */
export function withIndefiniteArticle(word: string): string {
  const first = word.charAt(0)
  const acronym = /^[A-Z]{2,}/.test(word)
  const vowelSound = acronym ? 'AEFHILMNORSX'.includes(first) : 'aeiouAEIOU'.includes(first)
  return `${vowelSound ? 'an' : 'a'} ${word}`
}

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The value if it is a string, otherwise undefined. */
export function stringField(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** The value if it is a finite number, otherwise undefined. */
export function numberField(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}
