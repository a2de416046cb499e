/**
 * Token usage carried in AI SDK message metadata ↔ Sluice {@link Usage}.
 *
 * The UI message stream has no usage chunk: an app that wants usage on the client sends it as
 * message metadata (`toUIMessageStreamResponse({ messageMetadata: ({ part }) => … })`), most
 * often as the SDK's own `LanguageModelUsage` under `usage` or `totalUsage`. Sluice reads those
 * two keys, and writes `usage` when it encodes.
 *
 * @module
 */
import type { Usage } from '../../message.ts'
import { isRecord, numberField } from '../json-frame.ts'

/** The metadata keys read as usage, in order of preference. */
const usageKeys = ['usage', 'totalUsage'] as const

/**
 * Read an AI SDK `LanguageModelUsage` object (v5 flat fields, or v6 `inputTokenDetails` /
 * `outputTokenDetails`). Returns `undefined` when it holds no token count.
 *
 * @example
 * ```ts
 * usageFromLanguageModelUsage({ inputTokens: 10, outputTokens: 5, totalTokens: 15 })
 * // { inputTokens: 10, outputTokens: 5, totalTokens: 15 }
 * ```
 */
export function usageFromLanguageModelUsage(value: unknown): Usage | undefined {
  if (!isRecord(value)) return undefined
  const inputDetails = isRecord(value.inputTokenDetails) ? value.inputTokenDetails : {}
  const outputDetails = isRecord(value.outputTokenDetails) ? value.outputTokenDetails : {}
  const usage: Usage = {}
  const inputTokens = numberField(value.inputTokens)
  const outputTokens = numberField(value.outputTokens)
  const totalTokens = numberField(value.totalTokens)
  const reasoningTokens = numberField(value.reasoningTokens) ?? numberField(outputDetails.reasoningTokens)
  const cachedInputTokens = numberField(value.cachedInputTokens) ?? numberField(inputDetails.cacheReadTokens)
  if (inputTokens !== undefined) usage.inputTokens = inputTokens
  if (outputTokens !== undefined) usage.outputTokens = outputTokens
  if (reasoningTokens !== undefined) usage.reasoningTokens = reasoningTokens
  if (cachedInputTokens !== undefined) usage.cachedInputTokens = cachedInputTokens
  if (totalTokens !== undefined) usage.totalTokens = totalTokens
  return Object.keys(usage).length === 0 ? undefined : usage
}

/**
 * Split AI SDK message metadata into the usage it carries (under `usage` or `totalUsage`) and
 * the rest. The usage keys are taken out of the metadata so the same numbers do not live in
 * two places on the message.
 *
 * @example
 * ```ts
 * splitMetadataUsage({ model: 'gpt-4o', usage: { inputTokens: 3, outputTokens: 4 } })
 * // { usage: { inputTokens: 3, outputTokens: 4 }, metadata: { model: 'gpt-4o' } }
 * ```
 */
export function splitMetadataUsage(value: unknown): { usage?: Usage; metadata?: Record<string, unknown> } {
  if (!isRecord(value)) return {}
  let usage: Usage | undefined
  let metadata: Record<string, unknown> | undefined
  for (const key of usageKeys) {
    const found = usageFromLanguageModelUsage(value[key])
    if (found === undefined) continue
    usage = usage ?? found
    metadata = metadata ?? { ...value }
    delete metadata[key]
  }
  metadata = metadata ?? value
  const result: { usage?: Usage; metadata?: Record<string, unknown> } = {}
  if (usage !== undefined) result.usage = usage
  if (Object.keys(metadata).length > 0) result.metadata = metadata
  return result
}
