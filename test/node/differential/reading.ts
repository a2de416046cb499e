/**
 * One shape for "what a client read from a stream", so Sluice's message and a provider SDK's
 * result can be compared field by field: text, refusal, reasoning, tool calls, the provider's
 * finish reason, usage and error. Each test maps its SDK's result into a {@link Reading}; the
 * mapping, where the SDK models a thing differently, is written next to it.
 *
 * @module
 */
import { collectMessage } from '../../../packages/core/src/collect-message.ts'
import type { Message } from '../../../packages/core/src/message.ts'
import type { ProtocolId } from '../../../packages/core/src/protocol.ts'
import type { FixtureServer } from './fixture-server.ts'

/** A tool call as both sides see it. */
export interface ReadToolCall {
  id: string
  name: string
  /** The parsed input (arguments). */
  input: unknown
  /** The result, for a call the provider ran itself (server tools), when the client reports one. */
  output?: unknown
}

/** What a client read. `undefined` fields are "the client reports nothing". */
export interface Reading {
  text: string
  refusal?: string
  reasoning?: string
  toolCalls: ReadToolCall[]
  /** The provider's own finish reason, as the wire spelled it. */
  finishReason?: string
  inputTokens?: number
  outputTokens?: number
  /** The provider's error message, when the stream carried one. */
  error?: string
}

/** Sluice's message as a {@link Reading} (text and refusal parts apart, as the SDKs keep them). */
export function readingOf(message: Message): Reading {
  let text = ''
  let refusal = ''
  let reasoning = ''
  const toolCalls: ReadToolCall[] = []
  for (const part of message.parts) {
    if (part.type === 'text' && part.refusal === true) refusal += part.text
    else if (part.type === 'text') text += part.text
    else if (part.type === 'reasoning') reasoning += part.text
    else if (part.type === 'tool-call') {
      const call: ReadToolCall = { id: part.toolCallId, name: part.toolName, input: part.input }
      if (part.output !== undefined) call.output = part.output
      toolCalls.push(call)
    }
  }
  const reading: Reading = { text, toolCalls }
  if (refusal !== '') reading.refusal = refusal
  if (reasoning !== '') reading.reasoning = reasoning
  if (message.rawFinishReason !== undefined) reading.finishReason = message.rawFinishReason
  if (message.usage?.inputTokens !== undefined) reading.inputTokens = message.usage.inputTokens
  if (message.usage?.outputTokens !== undefined) reading.outputTokens = message.usage.outputTokens
  if (message.status === 'error' && message.error !== undefined) reading.error = message.error.message
  return reading
}

/** Read what `server` serves with Sluice's `collectMessage`, over real HTTP like the SDK. */
export async function readWithSluice(
  server: FixtureServer,
  path: string,
  protocol: ProtocolId,
): Promise<Message> {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', body: '{}' })
  if (response.body === null) throw new Error(`The fixture server sent no body for ${path}.`)
  return collectMessage(response.body, protocol)
}

/** A {@link Reading} whose optional fields may be `undefined` (an SDK's field, before {@link defined}). */
export type LooseReading = Pick<Reading, 'text' | 'toolCalls'> & {
  [Key in Exclude<keyof Reading, 'text' | 'toolCalls'>]?: Reading[Key] | undefined
}

/** Drop the fields that are `undefined`, so `toEqual` compares what each side reported. */
export function defined<Extra extends object = object>(
  reading: LooseReading & Extra,
): Reading & Partial<Extra> {
  return Object.fromEntries(
    Object.entries(reading).filter(([, value]) => value !== undefined),
  ) as unknown as Reading & Partial<Extra>
}
