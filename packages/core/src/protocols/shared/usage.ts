/**
 * Token usage as several wires write it ↔ Sluice {@link Usage}. Naming: `usageFrom<Wire>` reads,
 * `usageTo<Wire>` writes. Wire-specific readers (Anthropic's cache counters, Gemini's
 * `usageMetadata`) stay in their protocol's folder under the same scheme.
 *
 * - OpenAI's `usage` object (`prompt_tokens`, `completion_tokens`, details): OpenAI Chat and
 *   `stream-delta`.
 * - Agent backends' usage objects in any serializer's naming (`input_tokens`, `prompt_tokens`,
 *   `inputTokens`): `agent-events`, `message-events`, `stream-chunk`.
 *
 * @module
 */
import type { Usage } from '../../message.ts'
import { isRecord, numberField } from '../json-frame.ts'

/**
 * Read an OpenAI-style `usage` object. Returns `undefined` when it holds no token count
 * (`usage: null` on every chunk but the last is the normal case).
 *
 * Cached input tokens come from `prompt_tokens_details.cached_tokens` (OpenAI, xAI, Qwen),
 * else DeepSeek's `prompt_cache_hit_tokens`, else Mistral's `num_cached_tokens`.
 *
 * @example
 * ```ts
 * usageFromOpenAI({ prompt_tokens: 14, completion_tokens: 30, total_tokens: 44 })
 * // { inputTokens: 14, outputTokens: 30, totalTokens: 44 }
 * ```
 */
export function usageFromOpenAI(value: unknown): Usage | undefined {
  if (!isRecord(value)) return undefined
  const usage: Usage = {}
  const inputTokens = numberField(value.prompt_tokens)
  const outputTokens = numberField(value.completion_tokens)
  const totalTokens = numberField(value.total_tokens)
  const promptDetails = isRecord(value.prompt_tokens_details) ? value.prompt_tokens_details : {}
  const completionDetails = isRecord(value.completion_tokens_details) ? value.completion_tokens_details : {}
  const cachedInputTokens =
    numberField(promptDetails.cached_tokens) ??
    numberField(value.prompt_cache_hit_tokens) ??
    numberField(value.num_cached_tokens)
  const reasoningTokens = numberField(completionDetails.reasoning_tokens)
  if (inputTokens !== undefined) usage.inputTokens = inputTokens
  if (outputTokens !== undefined) usage.outputTokens = outputTokens
  if (totalTokens !== undefined) usage.totalTokens = totalTokens
  if (cachedInputTokens !== undefined) usage.cachedInputTokens = cachedInputTokens
  if (reasoningTokens !== undefined) usage.reasoningTokens = reasoningTokens
  return Object.keys(usage).length === 0 ? undefined : usage
}

/** The `usage` object OpenAI sends (field order and detail objects as the live API sends them). */
export interface OpenAIUsage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number }
  completion_tokens_details: {
    reasoning_tokens: number
    audio_tokens: number
    accepted_prediction_tokens: number
    rejected_prediction_tokens: number
  }
}

/**
 * Write a {@link Usage} as OpenAI's `usage` object. Missing counts are 0, and a missing total
 * is input + output, as OpenAI computes it.
 *
 * @example
 * ```ts
 * usageToOpenAI({ inputTokens: 16, outputTokens: 300 }).total_tokens // 316
 * ```
 */
export function usageToOpenAI(usage: Usage): OpenAIUsage {
  const promptTokens = usage.inputTokens ?? 0
  const completionTokens = usage.outputTokens ?? 0
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: usage.totalTokens ?? promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoningTokens ?? 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  }
}

/**
 * Read a backend's usage object, whichever naming it uses. Returns `undefined` when it holds
 * no token count.
 *
 * @example
 * ```ts
 * usageFromBackend({ input_tokens: 12, output_tokens: 40 }) // { inputTokens: 12, outputTokens: 40 }
 * usageFromBackend({ prompt_tokens: 12, completion_tokens: 40, total_tokens: 52 })
 * // { inputTokens: 12, outputTokens: 40, totalTokens: 52 }
 * ```
 */
export function usageFromBackend(value: unknown): Usage | undefined {
  if (!isRecord(value)) return undefined
  const usage: Usage = {}
  const inputTokens =
    numberField(value.input_tokens) ?? numberField(value.prompt_tokens) ?? numberField(value.inputTokens)
  const outputTokens =
    numberField(value.output_tokens) ??
    numberField(value.completion_tokens) ??
    numberField(value.outputTokens)
  const totalTokens = numberField(value.total_tokens) ?? numberField(value.totalTokens)
  const reasoningTokens = numberField(value.reasoning_tokens) ?? numberField(value.reasoningTokens)
  const cachedInputTokens = numberField(value.cached_input_tokens) ?? numberField(value.cachedInputTokens)
  if (inputTokens !== undefined) usage.inputTokens = inputTokens
  if (outputTokens !== undefined) usage.outputTokens = outputTokens
  if (totalTokens !== undefined) usage.totalTokens = totalTokens
  if (reasoningTokens !== undefined) usage.reasoningTokens = reasoningTokens
  if (cachedInputTokens !== undefined) usage.cachedInputTokens = cachedInputTokens
  return Object.keys(usage).length === 0 ? undefined : usage
}

/** The `snake_case` usage object Sluice's agent-backend encoders write. */
export interface BackendUsage {
  input_tokens?: number
  output_tokens?: number
  total_tokens?: number
  reasoning_tokens?: number
  cached_input_tokens?: number
}

/**
 * Write a {@link Usage} as a `snake_case` usage object, with only the counts it has.
 *
 * @example
 * ```ts
 * usageToBackend({ inputTokens: 12, outputTokens: 40 }) // { input_tokens: 12, output_tokens: 40 }
 * ```
 */
export function usageToBackend(usage: Usage): BackendUsage {
  const result: BackendUsage = {}
  if (usage.inputTokens !== undefined) result.input_tokens = usage.inputTokens
  if (usage.outputTokens !== undefined) result.output_tokens = usage.outputTokens
  if (usage.totalTokens !== undefined) result.total_tokens = usage.totalTokens
  if (usage.reasoningTokens !== undefined) result.reasoning_tokens = usage.reasoningTokens
  if (usage.cachedInputTokens !== undefined) result.cached_input_tokens = usage.cachedInputTokens
  return result
}
