/**
 * Token usage objects as agent backends write them ↔ Sluice {@link Usage}.
 *
 * Agent backends serialize usage with whatever their language's serializer produces:
 * `snake_case` (`input_tokens`, serde's and Python's default), OpenAI's words
 * (`prompt_tokens`/`completion_tokens`) or `camelCase` (`inputTokens`). All are read.
 *
 * @module
 */
import type { Usage } from '../../message.ts'
import { isRecord, numberField } from '../json-frame.ts'

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
