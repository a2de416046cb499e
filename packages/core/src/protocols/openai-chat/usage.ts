/**
 * OpenAI Chat Completions `usage` objects ↔ Sluice {@link Usage}.
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
