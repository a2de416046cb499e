/**
 * Which step of a scenario a provider request is at, read from the conversation the request
 * carries (for `steps: 'by-conversation'`): the number of model turns since the user last wrote.
 *
 * @module
 */
import { bodyObject } from './request-fields.ts'

/**
 * How a provider handler picks the scenario step a request gets.
 *
 * - `by-call` (default): the n-th request to the handler gets step n (0-based), the last step
 *   repeats. Simple, but the count is global to the handler: a second conversation's first
 *   request gets step 2.
 * - `by-conversation`: the step is the number of model turns in the request's conversation
 *   after the user's last own message (tool results do not count as the user writing). Each
 *   conversation starts at step 0, whatever other conversations did.
 */
export type StepSelection = 'by-call' | 'by-conversation'

/**
 * Where a provider keeps the conversation in its request body.
 *
 * - `messages`: `messages: [{ role, content }]`: OpenAI Chat Completions, Ollama, Anthropic
 *   (a `user` message made only of `tool_result` blocks is not the user writing) and Sluice's
 *   default body.
 * - `responses`: OpenAI Responses `input` (a string, or an array of items).
 * - `gemini`: Gemini `contents: [{ role, parts }]` (a `user` turn made only of
 *   `functionResponse` parts is not the user writing).
 */
export type ConversationFormat = 'messages' | 'responses' | 'gemini'

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** True when `list` is a non-empty array whose every element is an object of that `type`. */
function onlyBlocks(list: unknown, isBlock: (block: Record<string, unknown>) => boolean): boolean {
  return Array.isArray(list) && list.length > 0 && list.every((block) => isRecord(block) && isBlock(block))
}

/** Model turns after the last entry `isUserTurn` accepts (all of them when there is none). */
function turnsAfterLastUser(
  entries: readonly unknown[],
  isUserTurn: (entry: Record<string, unknown>) => boolean,
  isModelTurn: (entry: Record<string, unknown>) => boolean,
): number {
  let turns = 0
  for (const entry of entries) {
    if (!isRecord(entry)) continue
    if (isUserTurn(entry)) turns = 0
    else if (isModelTurn(entry)) turns++
  }
  return turns
}

function messagesStep(body: Record<string, unknown>): number {
  const messages = body.messages
  if (!Array.isArray(messages)) return 0
  return turnsAfterLastUser(
    messages,
    // Anthropic sends tool results in a `user` message of `tool_result` blocks.
    (message) =>
      message.role === 'user' && !onlyBlocks(message.content, (block) => block.type === 'tool_result'),
    (message) => message.role === 'assistant',
  )
}

/**
 * OpenAI Responses: each step that called tools is followed by its `function_call_output` items,
 * so the step is the number of runs of outputs after the last user message. Counting outputs
 * (not `function_call` items) also works with `previous_response_id`, where the client sends
 * only the outputs. Parallel calls are expected listed before their outputs (as when the client
 * appends `response.output`, then the outputs); interleaved call/output pairs count as steps.
 */
function responsesStep(body: Record<string, unknown>): number {
  const input = body.input
  if (!Array.isArray(input)) return 0 // A string input is the user's first message.
  let steps = 0
  let inOutputs = false
  for (const item of input) {
    if (!isRecord(item)) continue
    // Easy input messages may leave out `type: "message"`.
    const isMessage = item.type === undefined || item.type === 'message'
    if (isMessage && item.role === 'user') {
      steps = 0
      inOutputs = false
    } else if (item.type === 'function_call_output') {
      if (!inOutputs) steps++
      inOutputs = true
    } else {
      inOutputs = false
    }
  }
  return steps
}

function geminiStep(body: Record<string, unknown>): number {
  const contents = body.contents
  if (!Array.isArray(contents)) return 0
  return turnsAfterLastUser(
    contents,
    // `role` may be left out in a request; Gemini then reads the turn as the user's.
    (content) =>
      (content.role === undefined || content.role === 'user') &&
      !onlyBlocks(content.parts, (part) => part.functionResponse !== undefined),
    (content) => content.role === 'model',
  )
}

/**
 * The 0-based scenario step a request is at: how many model turns its conversation holds after
 * the user's last own message. A body without a conversation is at step 0.
 *
 * @example
 * ```ts
 * conversationStep('messages', {
 *   messages: [
 *     { role: 'user', content: 'Weather in Paris?' },
 *     { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
 *     { role: 'tool', tool_call_id: 'call_1', content: '21 °C' },
 *   ],
 * }) // 1
 * ```
 */
export function conversationStep(format: ConversationFormat, body: unknown): number {
  const request = bodyObject(body)
  switch (format) {
    case 'messages':
      return messagesStep(request)
    case 'responses':
      return responsesStep(request)
    case 'gemini':
      return geminiStep(request)
  }
}
