/**
 * The agent loop for tools the app runs itself: when to send the conversation back to the
 * model without user input.
 *
 * @module
 */
import type { Message, ToolCallPart } from '../message.ts'

/** Tool calls whose result the app records (not the ones the provider ran itself). */
function clientToolCalls(message: Message): ToolCallPart[] {
  const calls: ToolCallPart[] = []
  for (const part of message.parts) {
    if (part.type === 'tool-call' && part.providerExecuted !== true) calls.push(part)
  }
  return calls
}

/**
 * True when the last message is a complete assistant answer that called at least one tool the
 * app runs, and every such call now has its output (or its error). That is the moment an agent
 * loop sends the results back so the model can go on; pass it as `sendAutomaticallyWhen`.
 *
 * A cancelled, failed or interrupted answer never qualifies: stopping ends the loop.
 *
 * @example
 * ```ts
 * const chat = createChat({
 *   api: '/api/chat',
 *   protocol: 'openai-chat',
 *   sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithToolCalls,
 *   onToolCall: async (call) => (call.toolName === 'weather' ? { temperature: 21 } : undefined),
 * })
 * ```
 */
export function lastAssistantMessageIsCompleteWithToolCalls(messages: readonly Message[]): boolean {
  const last = messages.at(-1)
  if (last === undefined || last.role !== 'assistant' || last.status !== 'complete') return false
  const calls = clientToolCalls(last)
  return (
    calls.length > 0 &&
    calls.every((call) => call.state === 'output-available' || call.state === 'output-error')
  )
}
