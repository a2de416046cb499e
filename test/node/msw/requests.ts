/**
 * How a client calls each mock in the msw tests: the URL and body the real client sends.
 */
import type { ProtocolId } from '../../../packages/core/src/protocol.ts'

/** Protocols served over HTTP by `@sluice/msw`. */
export const httpProtocolIds = [
  'openai-chat',
  'openai-responses',
  'anthropic',
  'ollama',
  'gemini',
  'ai-sdk',
  'ag-ui',
  'stream-chunk',
  'stream-delta',
  'agent-events',
] as const satisfies readonly ProtocolId[]

export type HttpProtocolId = (typeof httpProtocolIds)[number]

/** The agent protocols, served at `https://agent.test/api/<id>`. */
export const agentUrl = (id: string) => `https://agent.test/api/${id}`

/** The request a real client sends to the mock of `id` (streaming unless `stream: false`). */
export function requestFor(
  id: HttpProtocolId,
  options: { stream?: boolean; model?: string; tools?: unknown[] } = {},
): { url: string; init: RequestInit } {
  const stream = options.stream ?? true
  const messages = [{ role: 'user', content: 'Hi' }]
  const post = (url: string, body: unknown) => ({
    url,
    init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  })
  const model = options.model
  switch (id) {
    case 'openai-chat':
      return post('https://api.openai.com/v1/chat/completions', {
        model: model ?? 'gpt-4o',
        messages,
        stream,
        ...(stream ? { stream_options: { include_usage: true } } : {}),
        ...(options.tools ? { tools: options.tools } : {}),
      })
    case 'openai-responses':
      return post('https://api.openai.com/v1/responses', {
        model: model ?? 'gpt-4o',
        input: 'Hi',
        stream,
        ...(options.tools ? { tools: options.tools } : {}),
      })
    case 'anthropic':
      return post('https://api.anthropic.com/v1/messages', {
        model: model ?? 'claude-sonnet-4-5',
        max_tokens: 1024,
        messages,
        stream,
      })
    case 'ollama':
      return post('http://localhost:11434/api/chat', { model: model ?? 'qwen3:14b', messages, stream })
    case 'gemini':
      return post(
        `https://generativelanguage.googleapis.com/v1beta/models/${model ?? 'gemini-2.5-flash'}:${
          stream ? 'streamGenerateContent?alt=sse' : 'generateContent'
        }`,
        { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] },
      )
    default:
      return post(agentUrl(id), { messages })
  }
}
