/**
 * The playground's one local tool, run when a provider asks for it (provider wires and seed 002's
 * `stream-delta` leave tool results to the app; agent protocols stream their own results).
 *
 * @module
 */
import type { ProtocolId, ToolCallPart } from '@sluice/core'

/**
 * Protocols whose servers run tools themselves and stream the results. Not `stream-delta`:
 * seed 002's provider hands the accumulated calls to the app, which runs them.
 */
const agentProtocols = new Set<ProtocolId>([
  'ai-sdk',
  'ag-ui',
  'stream-chunk',
  'agent-events',
  'message-events',
])

/**
 * Run `get_weather` after a short pause (a tool takes time); other tools are left
 * for the app (`undefined`).
 *
 * @example
 * ```ts
 * await runTool('openai-chat', part) // { city: 'Paris', temperature: 21, conditions: 'sunny' }
 * ```
 */
export async function runTool(protocol: ProtocolId, part: ToolCallPart): Promise<unknown> {
  if (agentProtocols.has(protocol) || part.toolName !== 'get_weather') return undefined
  const input = (typeof part.input === 'object' && part.input !== null ? part.input : {}) as {
    city?: unknown
  }
  await new Promise((resolve) => setTimeout(resolve, 600))
  return { city: typeof input.city === 'string' ? input.city : 'Paris', temperature: 21, conditions: 'sunny' }
}
