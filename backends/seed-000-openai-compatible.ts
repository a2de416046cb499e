/**
 * Seed 000's reference backend: an OpenAI-compatible provider (`stream_chat`) whose model writes
 * `<think>…</think>` and `<tool_call>{"name": …, "arguments": {…}}</tool_call>` inline in its text
 * (the agent detects tool calls "in real-time from streaming chunks"), with the non-streaming
 * fallback: `stream: false` in the body, or `mode=json` (the provider does not stream), answers
 * one `chat.completion` JSON body whose `content` carries the same tags.
 *
 * Streaming is Chat Completions SSE: a first chunk with `delta.role`, content deltas (tags cut
 * across chunks, as tokens are), a last chunk with `finish_reason`, a usage chunk with empty
 * `choices` when `stream_options.include_usage` is set, then `data: [DONE]`. A failure mid-stream
 * is `data: {"error": {…}}`, the shape OpenAI-compatible servers send.
 *
 * Scenarios: `text` (plain answer), `reasoning` (`<think>` then the answer), `tools` (`<think>`,
 * a sentence and one `<tool_call>` for `get_weather`; after the tool results come back, the
 * answer).
 *
 * `POST /v1/chat/completions`.
 *
 * @example
 * ```ts
 * const backend = await startSeed000Server({ port: 0, behaviour: { scenario: 'tools' } })
 * // baseURL: `${backend.httpUrl}/v1`
 * ```
 * @module
 */
import { answerChunks, type BackendBehaviour } from './shared/behaviour.ts'
import {
  type AnswerRequest,
  type ReferenceServerOptions,
  type RunningBackend,
  type SeedDefinition,
  startReferenceServer,
} from './shared/reference-server.ts'
import { endsWithToolResults, field } from './shared/request-body.ts'

/** The reasoning the model writes inside `<think>`. */
export const seed000Reasoning = 'The user wants the weather in Paris; I should call the tool.'

/** The tool call the `tools` scenario writes inside `<tool_call>`. */
export const seed000ToolCall = { name: 'get_weather', arguments: { city: 'Paris' } } as const

/** The sentence before the tool call. */
export const seed000ToolPreamble = 'Let me check the weather for you.'

/**
 * The model's whole text for a request, tags included.
 *
 * @example
 * ```ts
 * seed000Text({ ...defaultBehaviour, scenario: 'reasoning' }, false) // '<think>…</think>Sluice streams …'
 * ```
 */
export function seed000Text(behaviour: BackendBehaviour, hasToolResults: boolean): string {
  const answer = answerChunks(behaviour).join('')
  if (hasToolResults || behaviour.scenario === 'text') return answer
  if (behaviour.scenario === 'reasoning') return `<think>${seed000Reasoning}</think>${answer}`
  return `<think>${seed000Reasoning}</think>${seed000ToolPreamble}\n<tool_call>${JSON.stringify(seed000ToolCall)}</tool_call>`
}

/** Cut text the way a tokenizer would: short pieces, so tags straddle chunk boundaries. */
function tokenPieces(text: string): string[] {
  const pieces: string[] = []
  for (const word of text.split(/(?=\s)/)) {
    // Tags and JSON arrive in several small tokens, not as one word.
    const characters = Array.from(word)
    for (let offset = 0; offset < characters.length; offset += 6) {
      pieces.push(characters.slice(offset, offset + 6).join(''))
    }
  }
  return pieces
}

function model(request: AnswerRequest): string {
  const value = field(request.body, 'model')
  return typeof value === 'string' && value.length <= 200 ? value : 'seed-000-local'
}

/** Seed 000's frames. */
export const seed000: SeedDefinition = {
  seed: 'seed-000',
  httpPaths: ['/v1/chat/completions', '/chat/completions'],
  websocket: false,
  plan(request) {
    const hasToolResults = endsWithToolResults(request.turns)
    const text = seed000Text(request.behaviour, hasToolResults)
    const pieces = tokenPieces(text)
    const id = `chatcmpl-${request.request}-${request.startedAt}`
    const created = Math.floor(request.startedAt / 1000)
    const modelName = model(request)
    const promptTokens = request.turns.reduce(
      (total, turn) => total + turn.text.split(/\s+/).filter(Boolean).length,
      0,
    )
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: pieces.length,
      total_tokens: promptTokens + pieces.length,
    }
    const chunk = (delta: Record<string, unknown>, finishReason: string | null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model: modelName,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    })
    const streamRequested = field(request.body, 'stream') === true
    if (!streamRequested || request.behaviour.mode === 'json') {
      return {
        frames: [],
        failFrames: () => [],
        json: () => ({
          id,
          object: 'chat.completion',
          created,
          model: modelName,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: text, refusal: null },
              logprobs: null,
              finish_reason: 'stop',
            },
          ],
          usage,
        }),
      }
    }
    const frames: unknown[] = [chunk({ role: 'assistant', content: '' }, null)]
    for (const piece of pieces) frames.push(chunk({ content: piece }, null))
    frames.push(chunk({}, 'stop'))
    const includeUsage = field(field(request.body, 'stream_options'), 'include_usage') === true
    if (includeUsage)
      frames.push({ id, object: 'chat.completion.chunk', created, model: modelName, choices: [], usage })
    frames.push('[DONE]')
    return {
      frames,
      failFrames: () => [
        {
          error: {
            message: 'The upstream model crashed mid-stream (told to fail by the test).',
            type: 'server_error',
            code: 'internal_error',
          },
        },
      ],
    }
  },
}

/**
 * Start seed 000's backend.
 *
 * @example
 * ```ts
 * const backend = await startSeed000Server({ port: 8700 })
 * ```
 */
export function startSeed000Server(options: ReferenceServerOptions = {}): Promise<RunningBackend> {
  return startReferenceServer(seed000, options)
}
