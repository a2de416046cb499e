/**
 * Finish-reason words as agent backends write them ↔ Sluice {@link FinishReason}.
 *
 * Backends pass through their model provider's word (OpenAI `tool_calls`, Anthropic
 * `end_turn`/`tool_use`/`max_tokens`, Gemini `STOP`/`MAX_TOKENS`), or Sluice's own
 * (`tool-calls`), so every common spelling is read.
 *
 * @module
 */
import type { FinishReason } from '../../message.ts'

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
