/**
 * Seed 000's non-streaming fallback against its reference backend (backends/, real HTTP): the
 * one `chat.completion` JSON body carries `<think>…</think>` and `<tool_call>…</tool_call>` in
 * `message.content`; with `inlineTags` they become reasoning and a tool call, exactly as when
 * the same text is streamed, and no tag is ever shown as text. The official `openai` SDK reads
 * the same body: its `content` is exactly Sluice's parts written back as tags.
 */
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  seed000Reasoning,
  seed000ToolCall,
  seed000ToolPreamble,
  startSeed000Server,
} from '../../../backends/seed-000-openai-compatible.ts'
import { answerText, defaultBehaviour } from '../../../backends/shared/behaviour.ts'
import type { RunningBackend } from '../../../backends/shared/reference-server.ts'
import { createChat } from '../../../packages/core/src/chat/create-chat.ts'
import type { Message } from '../../../packages/core/src/message.ts'
import { lastMessage, messageText } from '../chat/helpers.ts'

vi.mock('react', () => ({}))

let backend: RunningBackend
beforeAll(async () => {
  backend = await startSeed000Server({ behaviour: { delay: 1 } })
})
afterAll(() => backend.close())

/** The parts a user sees, without ids. */
function visibleParts(message: Message) {
  return message.parts.map((part) => {
    switch (part.type) {
      case 'text':
      case 'reasoning':
        return { type: part.type, text: part.text }
      case 'tool-call':
        return { type: part.type, toolName: part.toolName, input: part.input }
      default:
        return { type: part.type }
    }
  })
}

async function answerOf(query: string, options: { stream?: boolean; inlineTags?: boolean }) {
  const chat = createChat({
    api: `${backend.httpUrl}/v1/chat/completions?${query}`,
    protocol: 'openai-chat',
    retry: false,
    ...options,
  })
  await chat.send('Weather in Paris?')
  return lastMessage(chat.getState())
}

describe('seed 000: the JSON fallback honours inlineTags', () => {
  it('stream: false, tools scenario: reasoning, the sentence and the tool call, no raw tags', async () => {
    const answer = await answerOf('scenario=tools', { stream: false, inlineTags: true })
    expect(visibleParts(answer)).toEqual([
      { type: 'reasoning', text: seed000Reasoning },
      { type: 'text', text: `${seed000ToolPreamble}\n` },
      { type: 'tool-call', toolName: seed000ToolCall.name, input: seed000ToolCall.arguments },
    ])
    expect(JSON.stringify(answer.parts)).not.toContain('<think>')
    expect(JSON.stringify(answer.parts)).not.toContain('<tool_call>')
  })

  it('a provider that does not stream (mode=json) answers JSON to a streaming request: the same parts as streamed', async () => {
    const fromJson = await answerOf('scenario=tools&mode=json', { inlineTags: true })
    const streamed = await answerOf('scenario=tools', { inlineTags: true })
    expect(streamed.status).toBe(fromJson.status)
    expect(visibleParts(fromJson)).toEqual(visibleParts(streamed))
    expect(visibleParts(fromJson).map((part) => part.type)).toEqual(['reasoning', 'text', 'tool-call'])
  })

  it('reasoning scenario: the reasoning apart, the answer text exact, complete', async () => {
    const answer = await answerOf('scenario=reasoning', { stream: false, inlineTags: true })
    expect(answer.status).toBe('complete')
    expect(visibleParts(answer)).toEqual([
      { type: 'reasoning', text: seed000Reasoning },
      { type: 'text', text: answerText(defaultBehaviour) },
    ])
  })

  it("agrees with the openai SDK's reading of the same JSON body", async () => {
    const client = new OpenAI({ apiKey: 'not-used', baseURL: `${backend.httpUrl}/v1`, maxRetries: 0 })
    const completion = await client.chat.completions.create({
      model: 'local-model',
      messages: [{ role: 'user', content: '[[scenario=tools]] Weather in Paris?' }],
    })
    const answer = await answerOf('scenario=tools', { stream: false, inlineTags: true })
    const rewritten = answer.parts
      .map((part) => {
        if (part.type === 'reasoning') return `<think>${part.text}</think>`
        if (part.type === 'text') return part.text
        if (part.type === 'tool-call') {
          return `<tool_call>${JSON.stringify({ name: part.toolName, arguments: part.input })}</tool_call>`
        }
        return ''
      })
      .join('')
    expect(rewritten).toBe(completion.choices[0]!.message.content)
    expect(completion.choices[0]!.finish_reason).toBe('stop')
  })

  it('without inlineTags the tags stay text (the option is opt-in)', async () => {
    const answer = await answerOf('scenario=reasoning', { stream: false })
    expect(messageText(answer)).toBe(`<think>${seed000Reasoning}</think>${answerText(defaultBehaviour)}`)
  })
})
