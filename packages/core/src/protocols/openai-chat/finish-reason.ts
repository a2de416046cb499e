/**
 * OpenAI Chat Completions `finish_reason` words ↔ Sluice {@link FinishReason}.
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
