/**
 * OpenAI Chat Completions `finish_reason` words ↔ Sluice {@link FinishReason}: moved to the
 * decoder kit (`../shared/finish-reason.ts`); re-exported here until every importer
 * (`stream-delta`) uses the kit.
 *
 * @module
 */
export { finishReasonFromOpenAI, finishReasonToOpenAI } from '../shared/finish-reason.ts'
