/**
 * OpenAI Chat Completions `usage` objects ↔ Sluice {@link Usage}: moved to the decoder kit
 * (`../shared/usage.ts`); re-exported here until every importer (`stream-delta`) uses the kit.
 *
 * @module
 */
export { type OpenAIUsage, usageFromOpenAI, usageToOpenAI } from '../shared/usage.ts'
