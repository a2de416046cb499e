import { describe, expect, it, vi } from 'vitest'
import { chunkedBytes, fixtureBody, fixtureText, listFixtures } from '../../../../../test/helpers/fixtures.ts'
import type { ChatEvent } from '../../events.ts'
import {
  type Message,
  messageReasoning,
  messageText,
  messageToolCalls,
  type TextPart,
} from '../../message.ts'
import type { DecoderOptions } from '../../protocol.ts'
import { collectBody } from '../test-helpers/collect-body.ts'
import { decodeChunks } from '../test-helpers/decode-chunks.ts'
import { onlyMessage } from '../test-helpers/only-message.ts'
import { openaiResponsesProtocol } from './decode.ts'

vi.mock('react', () => ({}))

/** Bytes → SSE frames → the decoder → events, as a client reads them. */
function decodeEvents(chunks: readonly (Uint8Array | string)[], options?: DecoderOptions): ChatEvent[] {
  return decodeChunks(openaiResponsesProtocol, chunks, options)
}

function decodeBody(body: string, options?: DecoderOptions): Message {
  return onlyMessage(decodeEvents([body], options))
}

/** A recorded body through the public path: bytes → `collectMessage` → the final message. */
function decodeFixture(path: string, options: DecoderOptions = {}): Promise<Message> {
  return collectBody(fixtureText(path), [], openaiResponsesProtocol, options.messageId)
}

function toolCalls(message: Message) {
  return messageToolCalls(message).map(({ toolCallId, toolName, state, input }) => ({
    toolCallId,
    toolName,
    state,
    input,
  }))
}

/** An SSE body with `event:` lines equal to each payload's type, as the Responses API sends. */
function sse(...payloads: readonly (Record<string, unknown> | string)[]): string {
  return payloads
    .map((payload) =>
      typeof payload === 'string'
        ? `data: ${payload}\n\n`
        : `event: ${String(payload.type)}\ndata: ${JSON.stringify(payload)}\n\n`,
    )
    .join('')
}

const created = {
  type: 'response.created',
  sequence_number: 0,
  response: { id: 'resp_1', model: 'gpt-x', status: 'in_progress', output: [] },
}
const textAdded = [
  {
    type: 'response.output_item.added',
    sequence_number: 1,
    output_index: 0,
    item: { id: 'msg_1', type: 'message', status: 'in_progress', content: [], role: 'assistant' },
  },
  {
    type: 'response.content_part.added',
    sequence_number: 2,
    item_id: 'msg_1',
    output_index: 0,
    content_index: 0,
    part: { type: 'output_text', annotations: [], text: '' },
  },
  {
    type: 'response.output_text.delta',
    sequence_number: 3,
    item_id: 'msg_1',
    output_index: 0,
    content_index: 0,
    delta: 'Hello',
  },
]

const folder = 'openai-responses'

describe('openai-responses fixtures', () => {
  it('covers every recorded fixture of the folder', () => {
    expect(listFixtures(folder)).toEqual([
      `${folder}/error-insufficient-quota-then-response-failed.chunks.txt`,
      `${folder}/error-rate-limit-then-response-failed.sse`,
      `${folder}/multistep-reasoning-summary-function-calls-gpt51codexmax.chunks.txt`,
      `${folder}/parallel-function-calls-gpt4o.sse`,
      `${folder}/reasoning-summary-then-function-call-o4mini.sse`,
      `${folder}/text-gpt4.sse`,
    ])
  })

  it('text-gpt4: the whole text, stop, usage, the response id and model', async () => {
    const message = await decodeFixture(`${folder}/text-gpt4.sse`)
    expect(message.id).toBe('resp_6859a4ad7d3c81999e9e02548c91e2a8077218073e9990d3')
    expect(message.status).toBe('complete')
    const text = messageText(message)
    expect(
      text.startsWith("I am OpenAI's language model, known as GPT-3. I'm an artificial intelligence"),
    ).toBe(true)
    expect(
      text.endsWith("but I don't have personal experiences because I am a machine learning model."),
    ).toBe(true)
    expect(text).toHaveLength(283)
    expect(message.parts).toHaveLength(1)
    expect(message.finishReason).toBe('stop')
    expect(message.usage).toEqual({
      inputTokens: 10,
      outputTokens: 62,
      reasoningTokens: 0,
      cachedInputTokens: 0,
      totalTokens: 72,
    })
    expect(message.metadata).toMatchObject({
      model: 'gpt-4-0613',
      responseId: 'resp_6859a4ad7d3c81999e9e02548c91e2a8077218073e9990d3',
    })
    expect(message.sequence).toBe(67)
  })

  it('uses options.messageId over the response id', async () => {
    const message = await decodeFixture(`${folder}/text-gpt4.sse`, { messageId: 'placeholder-1' })
    expect(message.id).toBe('placeholder-1')
    expect(message.metadata?.responseId).toBe('resp_6859a4ad7d3c81999e9e02548c91e2a8077218073e9990d3')
  })

  it('gives the same message whatever the chunking, even one byte at a time', () => {
    const body = fixtureText(`${folder}/text-gpt4.sse`)
    const whole = decodeBody(body)
    const bytes = new TextEncoder().encode(body)
    expect(
      onlyMessage(
        decodeEvents(
          chunkedBytes(
            body,
            Array.from({ length: bytes.length }, () => 1),
          ),
        ),
      ),
    ).toEqual(whole)
    expect(onlyMessage(decodeEvents(chunkedBytes(body, [7, 301, 2, 1999, 13, 64])))).toEqual(whole)
  })

  it('parallel-function-calls-gpt4o: two calls keyed by call_id, parsed input, tool-calls', async () => {
    const message = await decodeFixture(`${folder}/parallel-function-calls-gpt4o.sse`)
    expect(toolCalls(message)).toEqual([
      {
        toolCallId: 'call_GXd80NWdsX8ng3xdeNLeA42o',
        toolName: 'search',
        state: 'input-available',
        input: { query: 'Detroit Tigers game time October 6, 2023' },
      },
      {
        toolCallId: 'call_qfdHN9tTntv02109c9RNnGGe',
        toolName: 'weather',
        state: 'input-available',
        input: { city: 'Detroit' },
      },
    ])
    expect(messageText(message)).toBe('')
    expect(message.finishReason).toBe('tool-calls')
    expect(message.usage).toMatchObject({ inputTokens: 92, outputTokens: 52, totalTokens: 144 })
  })

  it('reasoning-summary-then-function-call-o4mini: the summary, then the call', async () => {
    const message = await decodeFixture(`${folder}/reasoning-summary-then-function-call-o4mini.sse`)
    expect(message.parts.map((part) => part.type)).toEqual(['reasoning', 'tool-call'])
    expect(messageReasoning(message)).toBe(
      "**Providing game details**\n\nThe Tigers game today is set for June 23, 2025, at a specific time. I'm also considering the current temperature in Detroit, which is X° with conditions Y. I need to let the user know if wearing a coat is advisable based on that weather. It’s important to provide this information clearly so the user can make a comfortable choice about their attire for the game.",
    )
    expect(toolCalls(message)).toEqual([
      {
        toolCallId: 'call_nNlsgLEC5L6HTPLYNLGxYOrZ',
        toolName: 'search',
        state: 'input-available',
        input: { query: 'Detroit Tigers game time June 23 2025' },
      },
    ])
    expect(message.finishReason).toBe('tool-calls')
    expect(message.usage).toEqual({
      inputTokens: 78,
      outputTokens: 221,
      reasoningTokens: 192,
      cachedInputTokens: 0,
      totalTokens: 299,
    })
  })

  it('multistep-reasoning-summary-function-calls-gpt51codexmax: four responses, four messages', async () => {
    const bodies = fixtureBody(
      `${folder}/multistep-reasoning-summary-function-calls-gpt51codexmax.chunks.txt`,
      {
        splitOnType: 'response.created',
      },
    )
    expect(bodies).toHaveLength(4)
    const [first, second, third, fourth] = await Promise.all(
      bodies.map((body) => collectBody(body, [], openaiResponsesProtocol)),
    )

    expect(first!.id).toBe('resp_01830d662ab3856501693c321345c88190b0de00f3b9975691')
    expect(messageReasoning(first!)).toBe(
      "**Calculating step-by-step using calculator**\n\nI'll compute 12 plus 7, then multiply the result by 3, and finally multiply that by 10, reporting the final product.",
    )
    const reasoning = first!.parts[0]
    // The encrypted content of the finished reasoning item is kept as its signature.
    expect(
      reasoning?.type === 'reasoning' && reasoning.signature?.startsWith('gAAAAABpPDIVOKrsHNZ0GwsoEKA_'),
    ).toBe(true)
    expect(toolCalls(first!)).toEqual([
      {
        toolCallId: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn',
        toolName: 'calculator',
        state: 'input-available',
        input: { a: 12, b: 7, op: 'add' },
      },
    ])
    expect(first!.finishReason).toBe('tool-calls')
    expect(first!.usage).toMatchObject({ inputTokens: 134, outputTokens: 28, totalTokens: 162 })

    expect(toolCalls(second!)).toEqual([
      {
        toolCallId: 'call_Q6pW65MUgW9vF59BmItYGos3',
        toolName: 'calculator',
        state: 'input-available',
        input: { a: 19, b: 3, op: 'multiply' },
      },
    ])
    expect(toolCalls(third!)).toEqual([
      {
        toolCallId: 'call_Zl5vIMnD7dVAjgU6FkhmiCZh',
        toolName: 'calculator',
        state: 'input-available',
        input: { a: 57, b: 10, op: 'multiply' },
      },
    ])
    expect(messageText(fourth!)).toBe('The final result is **570**.')
    expect(fourth!.finishReason).toBe('stop')
    expect(fourth!.usage).toMatchObject({ inputTokens: 299, outputTokens: 12, totalTokens: 311 })
    expect(fourth!.metadata?.model).toBe('gpt-5.1-codex-max')
  })

  it('error-rate-limit-then-response-failed: the provider message and code, status error', async () => {
    const message = await decodeFixture(`${folder}/error-rate-limit-then-response-failed.sse`)
    expect(message.status).toBe('error')
    expect(message.parts).toEqual([])
    expect(message.error).toEqual({
      code: 'rate_limit_exceeded',
      message:
        'Request too large for gpt-4o in project proj_f4H0b30rYp2y52CGw64BafkL organization org-H9rGLigVW0aTEjgfHIg3Ircj on tokens per min (TPM): Limit 1, Requested 30. The input or output tokens must be reduced in order to run successfully. Visit https://platform.openai.com/account/rate-limits to learn more.',
    })
    expect(message.finishReason).toBe('error')
  })

  it('error-insufficient-quota-then-response-failed: the provider message and code', () => {
    const events = decodeEvents([
      fixtureText(`${folder}/error-insufficient-quota-then-response-failed.chunks.txt`),
    ])
    // One error: response.failed after the error event repeats it and adds nothing.
    expect(events.filter((event) => event.type === 'message-error')).toHaveLength(1)
    const message = onlyMessage(events)
    expect(message.status).toBe('error')
    expect(message.error).toEqual({
      code: 'insufficient_quota',
      message:
        'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
    })
  })

  it('lmstudio (openai-compatible): reasoning_text deltas and a call with only arguments.done', async () => {
    const message = await decodeFixture(
      'openai-compatible/lmstudio-responses-api-reasoning-text-tool-call.chunks.txt',
    )
    expect(message.parts.map((part) => part.type)).toEqual(['reasoning', 'text', 'tool-call'])
    expect(messageReasoning(message)).toBe(
      'The user is asking for the weather in San Francisco. I have a weather function available that takes a location parameter. The user has provided "San Francisco" as the location, so I have all the required information to make the function call.',
    )
    expect(messageText(message)).toBe("I'll get the current weather information for San Francisco for you.")
    expect(toolCalls(message)).toEqual([
      {
        toolCallId: 'call_2025306790300011',
        toolName: 'weather',
        state: 'input-available',
        input: { location: 'San Francisco' },
      },
    ])
    expect(message.finishReason).toBe('tool-calls')
  })
})

describe('openai-responses edge cases', () => {
  it('a stream cut before response.completed is interrupted, with the partial text kept', () => {
    const message = decodeBody(sse(created, ...textAdded))
    expect(message.status).toBe('interrupted')
    expect(messageText(message)).toBe('Hello')
    expect(message.error?.message).toContain('ended before response.completed')
  })

  it('a function call cut mid-arguments is cancelled when the stream is interrupted', () => {
    const message = decodeBody(
      sse(
        created,
        {
          type: 'response.output_item.added',
          sequence_number: 1,
          output_index: 0,
          item: { id: 'fc_1', type: 'function_call', arguments: '', call_id: 'call_1', name: 'weather' },
        },
        {
          type: 'response.function_call_arguments.delta',
          sequence_number: 2,
          item_id: 'fc_1',
          output_index: 0,
          delta: '{"city":"Par',
        },
      ),
    )
    expect(message.status).toBe('interrupted')
    expect(toolCalls(message)).toEqual([
      { toolCallId: 'call_1', toolName: 'weather', state: 'cancelled', input: undefined },
    ])
  })

  it('response.incomplete with max_output_tokens ends with length and keeps the text', () => {
    const message = decodeBody(
      sse(created, ...textAdded, {
        type: 'response.incomplete',
        sequence_number: 4,
        response: {
          id: 'resp_1',
          status: 'incomplete',
          incomplete_details: { reason: 'max_output_tokens' },
          output: [],
          usage: { input_tokens: 5, output_tokens: 16, total_tokens: 21 },
        },
      }),
    )
    expect(message.status).toBe('complete')
    expect(message.finishReason).toBe('length')
    expect(message.rawFinishReason).toBe('max_output_tokens')
    expect(messageText(message)).toBe('Hello')
    expect(message.usage).toEqual({ inputTokens: 5, outputTokens: 16, totalTokens: 21 })
  })

  it('malformed JSON followed by another event is a message-error that names the protocol', () => {
    const message = decodeBody(
      sse(created, ...textAdded, '{"type":"response.output_text.delta",', textAdded[2]!),
    )
    expect(message.status).toBe('error')
    expect(message.error?.code).toBe('invalid-frame')
    expect(message.error?.message).toContain('Received an openai-responses frame')
    expect(messageText(message)).toBe('Hello')
  })

  it('a body cut in the middle of an event is interrupted, keeping the text', () => {
    const message = decodeBody(sse(created, ...textAdded, '{"type":"response.output_text.delta",'))
    expect(message.status).toBe('interrupted')
    expect(message.error).toMatchObject({ code: 'stream-interrupted' })
    expect(message.error?.message).toContain('in the middle of an event')
    expect(messageText(message)).toBe('Hello')
  })

  it('keeps message text that arrives only in response.output_item.done (no content_part or output_text events)', () => {
    const item = {
      id: 'msg_9',
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', annotations: [], text: 'Only in the finished item.' }],
    }
    const message = decodeBody(
      sse(
        created,
        {
          type: 'response.output_item.added',
          sequence_number: 1,
          output_index: 0,
          item: { ...item, content: [] },
        },
        { type: 'response.output_item.done', sequence_number: 2, output_index: 0, item },
        {
          type: 'response.completed',
          sequence_number: 3,
          response: { ...created.response, status: 'completed', output: [item] },
        },
      ),
    )
    expect(message).toMatchObject({ status: 'complete', finishReason: 'stop' })
    expect(message.parts).toMatchObject([
      { type: 'text', id: 'msg_9:0', text: 'Only in the finished item.', state: 'done' },
    ])
  })

  it('does not repeat text that streamed and ended before the finished item', () => {
    const done = {
      type: 'response.output_text.done',
      sequence_number: 4,
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      text: 'Hello',
    }
    const item = {
      id: 'msg_1',
      type: 'message',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', annotations: [], text: 'Hello' }],
    }
    const message = decodeBody(
      sse(created, ...textAdded, done, {
        type: 'response.output_item.done',
        sequence_number: 5,
        output_index: 0,
        item,
      }),
    )
    expect(message.parts).toMatchObject([{ type: 'text', text: 'Hello' }])
    expect(message.parts).toHaveLength(1)
  })

  it('unknown events and fields change nothing', () => {
    const plain = decodeBody(sse(created, ...textAdded))
    const noisy = decodeBody(
      sse(
        created,
        { type: 'response.web_search_call.searching', sequence_number: 1, output_index: 0, item_id: 'ws_1' },
        { ...textAdded[0]!, sequence_number: 2, brand_new_field: { a: 1 } },
        { ...textAdded[1]!, sequence_number: 3 },
        { type: 'response.something_new', sequence_number: 4 },
        { ...textAdded[2]!, sequence_number: 5 },
      ),
    )
    expect(messageText(noisy)).toBe(messageText(plain))
    expect(noisy.status).toBe(plain.status)
  })

  it('a redelivered sequence_number is not applied twice', () => {
    const message = decodeBody(sse(created, ...textAdded, textAdded[2]!))
    expect(messageText(message)).toBe('Hello')
  })

  it('accepts the error event with its fields at the top level (the SDK type)', () => {
    const message = decodeBody(
      sse(created, {
        type: 'error',
        sequence_number: 1,
        code: 'server_error',
        message: 'The server had an error',
        param: null,
      }),
    )
    expect(message.error).toEqual({ code: 'server_error', message: 'The server had an error' })
  })

  it('a refusal is text flagged as a refusal, finishing content-filter', () => {
    const message = decodeBody(
      sse(
        created,
        textAdded[0]!,
        {
          type: 'response.content_part.added',
          sequence_number: 2,
          item_id: 'msg_1',
          output_index: 0,
          content_index: 0,
          part: { type: 'refusal', refusal: '' },
        },
        {
          type: 'response.refusal.delta',
          sequence_number: 3,
          item_id: 'msg_1',
          output_index: 0,
          content_index: 0,
          delta: "I'm sorry, I can't help",
        },
        {
          type: 'response.refusal.done',
          sequence_number: 4,
          item_id: 'msg_1',
          output_index: 0,
          content_index: 0,
          refusal: "I'm sorry, I can't help with that.",
        },
        {
          type: 'response.completed',
          sequence_number: 5,
          response: { id: 'resp_1', status: 'completed', output: [] },
        },
      ),
    )
    const part = message.parts[0] as TextPart
    expect(part.refusal).toBe(true)
    expect(part.text).toBe("I'm sorry, I can't help with that.")
    expect(message.finishReason).toBe('content-filter')
  })

  it('a url_citation annotation becomes a source', () => {
    const message = decodeBody(
      sse(created, ...textAdded, {
        type: 'response.output_text.annotation.added',
        sequence_number: 4,
        item_id: 'msg_1',
        output_index: 0,
        content_index: 0,
        annotation_index: 0,
        annotation: {
          type: 'url_citation',
          url: 'https://example.com/a',
          title: 'Example',
          start_index: 0,
          end_index: 5,
        },
      }),
    )
    expect(message.parts).toContainEqual({ type: 'source', url: 'https://example.com/a', title: 'Example' })
  })
})

describe('openai-responses non-streaming bodies and HTTP errors', () => {
  it('decodeResponse reads a stream: false body', () => {
    const events = openaiResponsesProtocol.decodeResponse!(
      {
        id: 'resp_9',
        object: 'response',
        status: 'completed',
        model: 'gpt-4o',
        output: [
          { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Thinking.' }] },
          {
            id: 'msg_1',
            type: 'message',
            role: 'assistant',
            content: [{ type: 'output_text', text: 'Hi there', annotations: [] }],
          },
          { id: 'fc_1', type: 'function_call', call_id: 'call_9', name: 'lookup', arguments: '{"q":"x"}' },
        ],
        usage: { input_tokens: 3, output_tokens: 4, total_tokens: 7 },
      },
      { messageId: 'm9' },
    )
    const message = onlyMessage(events)
    expect(message.id).toBe('m9')
    expect(message.status).toBe('complete')
    expect(messageReasoning(message)).toBe('Thinking.')
    expect(messageText(message)).toBe('Hi there')
    expect(toolCalls(message)).toEqual([
      { toolCallId: 'call_9', toolName: 'lookup', state: 'input-available', input: { q: 'x' } },
    ])
    expect(message.finishReason).toBe('tool-calls')
    expect(message.usage).toEqual({ inputTokens: 3, outputTokens: 4, totalTokens: 7 })
  })

  it('decodeError reads the OpenAI error body', () => {
    expect(
      openaiResponsesProtocol.decodeError!(
        {
          error: {
            message: 'Incorrect API key provided: sk-…',
            type: 'invalid_request_error',
            param: null,
            code: 'invalid_api_key',
          },
        },
        401,
      ),
    ).toEqual({ message: 'Incorrect API key provided: sk-…', code: 'invalid_api_key', status: 401 })
    expect(
      openaiResponsesProtocol.decodeError!(
        '{"error":{"message":"Overloaded","type":"server_error","code":null}}',
        503,
      ),
    ).toEqual({ message: 'Overloaded', code: 'server_error', status: 503 })
    expect(openaiResponsesProtocol.decodeError!('Bad gateway', 502)).toEqual({
      message: 'Bad gateway',
      status: 502,
    })
  })
})
