/**
 * Finish-reason words as several wires write them ↔ Sluice {@link FinishReason}. Naming:
 * `finishReasonFrom<Wire>` reads, `finishReasonTo<Wire>` writes; an unknown word is `other` and
 * the caller keeps the raw word in `rawFinishReason`.
 *
 * - OpenAI's `finish_reason` (OpenAI Chat, `stream-delta`).
 * - Agent backends, which pass through their model provider's word (OpenAI `tool_calls`,
 *   Anthropic `end_turn`/`tool_use`/`max_tokens`, Gemini `STOP`/`MAX_TOKENS`) or Sluice's own.
 *
 * @module
 */
import type { FinishReason } from '../../message.ts'

/**
 * Normalize an OpenAI `finish_reason`. `function_call` is the legacy word for `tool_calls`;
 * any other word (vendor extensions such as `eos`, `abort`, `insufficient_system_resource`)
 * is `other`, and the caller keeps the raw word in `rawFinishReason`.
 *
 * @example
 * ```ts
 * finishReasonFromOpenAI('tool_calls') // 'tool-calls'
 * finishReasonFromOpenAI('eos') // 'other'
 * ```
 */
export function finishReasonFromOpenAI(word: string): FinishReason {
  switch (word) {
    case 'stop':
      return 'stop'
    case 'length':
      return 'length'
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls'
    case 'content_filter':
      return 'content-filter'
    default:
      return 'other'
  }
}

/** The words OpenAI itself sends. */
const openAIFinishWords = new Set(['stop', 'length', 'tool_calls', 'content_filter', 'function_call'])

/**
 * The `finish_reason` word to send for a finish reason. The raw word wins when it is one
 * OpenAI sends (a refusal is `content-filter` for Sluice but `stop` on OpenAI's wire);
 * `error` and `other` have no OpenAI word and become `stop`.
 *
 * @example
 * ```ts
 * finishReasonToOpenAI('tool-calls') // 'tool_calls'
 * finishReasonToOpenAI('content-filter', 'stop') // 'stop'
 * ```
 */
export function finishReasonToOpenAI(reason: FinishReason | undefined, rawFinishReason?: string): string {
  if (rawFinishReason !== undefined && openAIFinishWords.has(rawFinishReason)) return rawFinishReason
  switch (reason) {
    case 'length':
      return 'length'
    case 'tool-calls':
      return 'tool_calls'
    case 'content-filter':
      return 'content_filter'
    default:
      return 'stop'
  }
}

/**
 * Normalize a backend's finish-reason word: case, `-` and `_` are ignored; unknown words are
 * `other` (the caller keeps the raw word in `rawFinishReason`).
 *
 * @example
 * ```ts
 * finishReasonFromBackend('end_turn') // 'stop'
 * finishReasonFromBackend('tool_calls') // 'tool-calls'
 * finishReasonFromBackend('MAX_TOKENS') // 'length'
 * ```
 */
export function finishReasonFromBackend(word: string): FinishReason {
  switch (word.toLowerCase().replace(/[-_\s]/g, '')) {
    case 'stop':
    case 'endturn':
    case 'stopsequence':
    case 'complete':
    case 'completed':
    case 'done':
      return 'stop'
    case 'length':
    case 'maxtokens':
    case 'maxoutputtokens':
      return 'length'
    case 'toolcalls':
    case 'tooluse':
    case 'functioncall':
      return 'tool-calls'
    case 'contentfilter':
    case 'safety':
    case 'refusal':
      return 'content-filter'
    case 'error':
      return 'error'
    default:
      return 'other'
  }
}

/**
 * The `snake_case` word to send for a finish reason: the raw word when the event kept one,
 * otherwise Sluice's word with `_` (`tool-calls` → `tool_calls`).
 *
 * @example
 * ```ts
 * finishReasonToBackend('tool-calls') // 'tool_calls'
 * finishReasonToBackend('stop', 'end_turn') // 'end_turn'
 * ```
 */
export function finishReasonToBackend(reason: FinishReason | undefined, rawFinishReason?: string): string {
  if (rawFinishReason !== undefined) return rawFinishReason
  return (reason ?? 'stop').replace('-', '_')
}
