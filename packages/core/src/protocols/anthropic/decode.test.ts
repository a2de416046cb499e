import { describe, expect, it, vi } from 'vitest'
import { chunkedBytes, fixtureBody, fixtureText, listFixtures } from '../../../../../test/helpers/fixtures.ts'
import type { ChatEvent } from '../../events.ts'
import {
  type Message,
  messageReasoning,
  messageText,
  messageToolCalls,
  type ReasoningPart,
} from '../../message.ts'
import type { DecoderOptions } from '../../protocol.ts'
import { collectBody } from '../test-helpers/collect-body.ts'
import { decodeChunks } from '../test-helpers/decode-chunks.ts'
import { onlyMessage } from '../test-helpers/only-message.ts'
import { anthropicProtocol } from './decode.ts'

vi.mock('react', () => ({}))

/** Bytes → SSE frames → the decoder → events, as a client reads them. */
function decodeEvents(chunks: readonly (Uint8Array | string)[], options?: DecoderOptions): ChatEvent[] {
  return decodeChunks(anthropicProtocol, chunks, options)
}

function decodeBody(body: string, options?: DecoderOptions): Message {
  return onlyMessage(decodeEvents([body], options))
}

/** A recorded body through the public path: bytes → `collectMessage` → the final message. */
function decodeFixture(path: string, options: DecoderOptions = {}): Promise<Message> {
  return collectBody(fixtureText(path), [], anthropicProtocol, options.messageId)
}

function toolCalls(message: Message) {
  return messageToolCalls(message).map(({ toolCallId, toolName, state, input }) => ({
    toolCallId,
    toolName,
    state,
    input,
  }))
}

/** An SSE body with `event:` lines equal to each payload's type, as Anthropic sends. */
function sse(...payloads: readonly (Record<string, unknown> | string)[]): string {
  return payloads
    .map((payload) =>
      typeof payload === 'string'
        ? `event: content_block_delta\ndata: ${payload}\n\n`
        : `event: ${String(payload.type)}\ndata: ${JSON.stringify(payload)}\n\n`,
    )
    .join('')
}

const messageStart = {
  type: 'message_start',
  message: {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-x',
    content: [],
    stop_reason: null,
    usage: { input_tokens: 10, output_tokens: 1 },
  },
}
const textBlock = [
  { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } },
]
const ending = [
  { type: 'content_block_stop', index: 0 },
  {
    type: 'message_delta',
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: 2 },
  },
  { type: 'message_stop' },
]

const folder = 'anthropic-messages'

describe('anthropic fixtures', () => {
  it('covers every recorded fixture of the folder', () => {
    expect(listFixtures(folder)).toEqual([
      `${folder}/docs-error-overloaded-event.sse`,
      `${folder}/docs-text-then-tool-use-get-weather.sse`,
      `${folder}/extended-thinking-signature-claude37sonnet.sse`,
      `${folder}/max-tokens-truncated-tool-input.sse`,
      `${folder}/multistep-tool-use-plus-server-tool-use-sonnet45.chunks.txt`,
      `${folder}/observed-error-overloaded-details-null.sse`,
      `${folder}/sdk-ts-text-then-tool-use.sse`,
      `${folder}/text-claude37sonnet.sse`,
      `${folder}/text-sonnet45-cache-usage.chunks.txt`,
      `${folder}/text-then-tool-use-claude37sonnet.sse`,
      `${folder}/thinking-signature-context-management-sonnet45.chunks.txt`,
    ])
  })

  it('text-claude37sonnet: the whole text, end_turn → stop, usage, id and model', async () => {
    const message = await decodeFixture(`${folder}/text-claude37sonnet.sse`)
    expect(message.id).toBe('msg_014HN4fQn2vqETrzGmNdZ9Eg')
    expect(message.status).toBe('complete')
    const text = messageText(message)
    expect(text.startsWith("I'm Claude, an AI assistant made by Anthropic. I'm designed to be helpful")).toBe(
      true,
    )
    expect(text.endsWith('unless you share them with me directly. How can I help you today?')).toBe(true)
    expect(text).toHaveLength(468)
    expect(message.finishReason).toBe('stop')
    expect(message.rawFinishReason).toBe('end_turn')
    expect(message.usage).toEqual({
      inputTokens: 11,
      cachedInputTokens: 0,
      outputTokens: 104,
      totalTokens: 115,
    })
    expect(message.metadata).toMatchObject({
      model: 'claude-3-7-sonnet-20250219',
      providerMessageId: 'msg_014HN4fQn2vqETrzGmNdZ9Eg',
    })
  })

  it('uses options.messageId over the provider id', async () => {
    const message = await decodeFixture(`${folder}/text-claude37sonnet.sse`, { messageId: 'placeholder' })
    expect(message.id).toBe('placeholder')
  })

  it('gives the same message whatever the chunking, even one byte at a time', () => {
    const body = fixtureText(`${folder}/text-then-tool-use-claude37sonnet.sse`)
    const whole = decodeBody(body)
    const length = new TextEncoder().encode(body).length
    expect(
      onlyMessage(
        decodeEvents(
          chunkedBytes(
            body,
            Array.from({ length }, () => 1),
          ),
        ),
      ),
    ).toEqual(whole)
    expect(onlyMessage(decodeEvents(chunkedBytes(body, [3, 500, 17, 1, 1, 900])))).toEqual(whole)
  })

  it('text-then-tool-use-claude37sonnet: padded JSON, text then a fragmented tool input', async () => {
    const message = await decodeFixture(`${folder}/text-then-tool-use-claude37sonnet.sse`)
    expect(messageText(message)).toBe(
      "I'll help you find information about the Tigers game today and provide weather advice for appropriate clothing. Let me check both for you.\n\nFirst, let me search for the Tigers game schedule:",
    )
    expect(toolCalls(message)).toEqual([
      {
        toolCallId: 'toolu_014cZKakAghgvhi4Y99XBUru',
        toolName: 'search',
        state: 'input-available',
        input: { query: 'Detroit Tigers baseball game today time schedule' },
      },
    ])
    expect(message.finishReason).toBe('tool-calls')
    expect(message.usage).toMatchObject({ inputTokens: 465, outputTokens: 96 })
  })

  it('docs-text-then-tool-use-get-weather: input split mid-token', async () => {
    const message = await decodeFixture(`${folder}/docs-text-then-tool-use-get-weather.sse`)
    expect(messageText(message)).toBe("Okay, let's check the weather for San Francisco, CA:")
    expect(toolCalls(message)).toEqual([
      {
        toolCallId: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
        toolName: 'get_weather',
        state: 'input-available',
        input: { location: 'San Francisco, CA', unit: 'fahrenheit' },
      },
    ])
    expect(message.finishReason).toBe('tool-calls')
    expect(message.usage).toEqual({ inputTokens: 472, outputTokens: 89, totalTokens: 561 })
    expect(message.metadata?.model).toBe('claude-opus-4-1-20250805')
  })

  it('sdk-ts-text-then-tool-use: no trailing newline at EOF, message_stop still applies', async () => {
    const message = await decodeFixture(`${folder}/sdk-ts-text-then-tool-use.sse`)
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe("I'll check the current weather in Paris for you.")
    expect(toolCalls(message)).toEqual([
      {
        toolCallId: 'toolu_01NRLabsLyVHZPKxbKvkfSMn',
        toolName: 'get_weather',
        state: 'input-available',
        input: { location: 'Paris' },
      },
    ])
    expect(message.usage).toMatchObject({ inputTokens: 377, outputTokens: 65 })
  })

  it('extended-thinking-signature-claude37sonnet: thinking with its signature, then text', async () => {
    const message = await decodeFixture(`${folder}/extended-thinking-signature-claude37sonnet.sse`)
    expect(message.parts.map((part) => part.type)).toEqual(['reasoning', 'text'])
    const reasoning = messageReasoning(message)
    expect(
      reasoning.startsWith('The question is asking about "the meaning of life, the universe and everything"'),
    ).toBe(true)
    expect(reasoning.endsWith('sed in many different ways across different fictional works.')).toBe(true)
    expect(reasoning).toHaveLength(1311)
    const signature = (message.parts[0] as ReasoningPart).signature
    expect(
      signature?.startsWith(
        'ErUBCkYIARgCIkCMkRFgNNhwET9y5IN2hGVaMO+tPgd5T2aSXprEVvIU5pN9uklyYgqC6GzmijY5Wr2DFwm5oBX0XHqfb9bYcbmzEgyeDDF5O/iNwNRyyd8aDFdKPcaLtnOEE+xkBSIwhVbJFW8zL9keNzmvEjacAs+Zw6hU7b22EqyWy7hrPjLNHZHJ6SWUV3TzbClf3D05',
      ),
    ).toBe(true)
    expect(signature?.endsWith('CFe43e4r7g==')).toBe(true)
    expect(signature).toHaveLength(248)
    const text = messageText(message)
    expect(text.startsWith('In popular fiction, the most famous answer to "the meaning of life')).toBe(true)
    expect(
      text.endsWith(
        'reference remains the most recognizable specific answer to this exact question in pop culture.',
      ),
    ).toBe(true)
    expect(text).toHaveLength(837)
    expect(message.finishReason).toBe('stop')
    expect(message.usage).toMatchObject({ inputTokens: 50, outputTokens: 452 })
  })

  it('thinking-signature-context-management-sonnet45: empty last thinking delta, signature, text', async () => {
    const message = await decodeFixture(`${folder}/thinking-signature-context-management-sonnet45.chunks.txt`)
    expect(messageReasoning(message)).toBe(
      'The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185',
    )
    expect((message.parts[0] as ReasoningPart).signature).toBe(
      'EvQBCkYICxgCKkAxhD4NUKFzudtZ6NzbZdEiBACIScTzqjPViM596iWLZIk4EFKYYBj3B6Ptl3b0dcQv/VeJBNbejNWIWRBn+KPNEgz6HWtKx7p+QRgKsEoaDGjsiqfht7gTRFYHiyIwD1VSmNqHxv3wy8KEMP+LYb/TC4UH3H97tuoaADARFFcA0phdfxnzKQxFnc9lwY+dKlzUsaKSUAFeu1bDL5ikZJ1vL0Fkz6JjoFke0L/wOJRIUDUlDUOFJ1tZ3ea7g6LGE/5hwuvWgLwewdcm64d+43l7F57XrOmqNd6flI2K/oPr/4yzNgvi/EhT6Ca17BgB',
    )
    expect(messageText(message)).toBe('925 ÷ 5 = 185')
    expect(message.finishReason).toBe('stop')
    expect(message.usage).toEqual({
      inputTokens: 69,
      cachedInputTokens: 0,
      outputTokens: 53,
      totalTokens: 122,
    })
  })

  it('text-sonnet45-cache-usage: the recent usage shape', async () => {
    const message = await decodeFixture(`${folder}/text-sonnet45-cache-usage.chunks.txt`)
    expect(messageText(message)).toBe(
      "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?",
    )
    expect(message.usage).toEqual({
      inputTokens: 12,
      cachedInputTokens: 0,
      outputTokens: 30,
      totalTokens: 42,
    })
    expect(message.metadata?.model).toBe('claude-sonnet-4-5-20250929')
  })

  it('max-tokens-truncated-tool-input: length, and the cut-off call is an output-error, not stuck streaming', async () => {
    const message = await decodeFixture(`${folder}/max-tokens-truncated-tool-input.sse`)
    expect(message.status).toBe('complete')
    expect(message.finishReason).toBe('length')
    expect(message.rawFinishReason).toBe('max_tokens')
    expect(messageText(message)).toBe(
      "I'll create a comprehensive tax guide for someone with multiple W2s and save it in a file called taxes.txt. Let me do that for you now.",
    )
    const [call] = messageToolCalls(message)
    expect(call).toMatchObject({
      toolCallId: 'toolu_01EKqbqmZrGRXy18eN7m9kvY',
      toolName: 'make_file',
      state: 'output-error',
    })
    // The partial input is kept as streamed, and the reducer says why the call failed.
    expect(call?.inputText).toBe(
      '{"filename": "taxes.txt", "lines_of_text": [\n"# COMPREHENSIVE TAX GUIDE FOR INDIVIDUALS WITH MULTIPLE W-2s",\n"",\n"## INTRODUCTION",\n"",\n"Filing taxes',
    )
    expect(call?.input).toBeUndefined()
    expect(call?.errorText).toContain('cut off')
    expect(message.usage).toMatchObject({ inputTokens: 450, outputTokens: 124 })
  })

  it('multistep-tool-use-plus-server-tool-use-sonnet45: three messages, client and server tools, a server result', async () => {
    const bodies = fixtureBody(`${folder}/multistep-tool-use-plus-server-tool-use-sonnet45.chunks.txt`, {
      splitOnType: 'message_start',
    })
    expect(bodies).toHaveLength(3)
    const [first, second, third] = await Promise.all(
      bodies.map((body) => collectBody(body, [], anthropicProtocol)),
    )

    expect(messageText(first!)).toBe(
      "I'll help you with this task. Let me start by reading the note tree to see the current structure, and then search for the appropriate tools to add a bullet.",
    )
    expect(toolCalls(first!)).toEqual([
      {
        toolCallId: 'toolu_01WPkY6CkyJnFsaCqY7SZ9FX',
        toolName: 'readNoteTree',
        state: 'input-available',
        input: { noteId: 'd10aa585-982b-4bd9-984e-420f9b3717f7' },
      },
      {
        toolCallId: 'srvtoolu_01H4HgrFsi9xizPtvnx1Tm7D',
        toolName: 'tool_search_tool_regex',
        state: 'input-available',
        input: { pattern: 'add|insert|bullet|create', limit: 10 },
      },
    ])
    expect(messageToolCalls(first!)[1]?.providerExecuted).toBe(true)
    expect(first!.finishReason).toBe('tool-calls')
    expect(first!.usage).toMatchObject({ inputTokens: 904, outputTokens: 175 })

    // Message 2 opens with the server tool's result, which arrives whole in content_block_start.
    const [result] = messageToolCalls(second!)
    expect(result).toMatchObject({
      toolCallId: 'srvtoolu_01H4HgrFsi9xizPtvnx1Tm7D',
      state: 'output-available',
      output: {
        type: 'tool_search_tool_search_result',
        tool_references: [
          { type: 'tool_reference', tool_name: 'readNoteTree' },
          { type: 'tool_reference', tool_name: 'executeEditorOperation' },
        ],
      },
    })
    expect(messageText(second!).startsWith('Perfect! I can see the current note structure')).toBe(true)
    expect(messageText(second!).endsWith('tool to insert a new bulleted list item.')).toBe(true)
    expect(toolCalls(second!)[1]).toEqual({
      toolCallId: 'toolu_01UFHf8D27JBYu9FmrcjJk1p',
      toolName: 'executeEditorOperation',
      state: 'input-available',
      input: {
        noteId: 'd10aa585-982b-4bd9-984e-420f9b3717f7',
        operations: [
          { op: 'insert', type: 'bulletedListItem', text: 'bye', at: { type: 'after', path: [0] } },
        ],
      },
    })

    expect(messageText(third!).startsWith("Great! I've successfully completed the task.")).toBe(true)
    expect(messageText(third!).endsWith('two bulleted list items:\n- hi\n- bye')).toBe(true)
    expect(third!.finishReason).toBe('stop')
    expect(third!.usage).toMatchObject({ inputTokens: 1758, outputTokens: 118 })
  })

  it.each(['docs-error-overloaded-event.sse', 'observed-error-overloaded-details-null.sse'])(
    '%s: message-error with the provider message and type',
    async (file) => {
      const message = await decodeFixture(`${folder}/${file}`, { messageId: 'm1' })
      expect(message.status).toBe('error')
      expect(message.error).toEqual({ message: 'Overloaded', code: 'overloaded_error' })
    },
  )
})

describe('anthropic edge cases', () => {
  it('an error after content keeps the partial text and is not completed', () => {
    const message = decodeBody(
      sse(messageStart, ...textBlock, {
        type: 'error',
        error: { type: 'api_error', message: 'Internal server error' },
      }),
    )
    expect(message.status).toBe('error')
    expect(messageText(message)).toBe('Hello')
    expect(message.error).toEqual({ message: 'Internal server error', code: 'api_error' })
  })

  it('a stream that ends before message_delta is interrupted, keeping the text', () => {
    const message = decodeBody(sse(messageStart, ...textBlock, ending[0]!))
    expect(message.status).toBe('interrupted')
    expect(messageText(message)).toBe('Hello')
    expect(message.error?.message).toContain('ended before message_stop')
  })

  it('a stream that ends after message_delta (stop reason and usage seen, message_stop lost) is complete with usage', () => {
    const message = decodeBody(sse(messageStart, ...textBlock, ending[0]!, ending[1]!))
    expect(message).toMatchObject({ status: 'complete', finishReason: 'stop', rawFinishReason: 'end_turn' })
    expect(message.usage).toMatchObject({ outputTokens: 2 })
    expect(message.parts).toMatchObject([{ type: 'text', text: 'Hello', state: 'done' }])
    expect(message.error).toBeUndefined()
  })

  it('malformed JSON followed by another event is a message-error naming the protocol', () => {
    const message = decodeBody(
      sse(messageStart, ...textBlock, '{"type":"content_block_delta","index":0,', ...ending),
    )
    expect(message.status).toBe('error')
    expect(message.error?.code).toBe('invalid-frame')
    expect(message.error?.message).toContain('Received an anthropic frame that is not valid JSON')
    expect(messageText(message)).toBe('Hello')
  })

  it('a body cut in the middle of an event is interrupted, keeping the text (as the SDK keeps it)', () => {
    const message = decodeBody(sse(messageStart, ...textBlock, '{"type":"content_block_delta","index":0,'))
    expect(message.status).toBe('interrupted')
    expect(message.error).toMatchObject({ code: 'stream-interrupted' })
    expect(message.error?.message).toContain('in the middle of an event')
    expect(messageText(message)).toBe('Hello')
  })

  it('a body cut in the middle of message_stop, after message_delta, is complete', () => {
    const body = `${sse(messageStart, ...textBlock, ending[0]!, ending[1]!)}event: message_stop\ndata: {"type":"mess`
    expect(decodeBody(body)).toMatchObject({
      status: 'complete',
      finishReason: 'stop',
      usage: { outputTokens: 2 },
    })
  })

  it('a web_search_tool_result for a call of an earlier response keeps providerExecuted', () => {
    const message = decodeBody(
      sse(
        messageStart,
        {
          type: 'content_block_start',
          index: 0,
          content_block: {
            type: 'web_search_tool_result',
            tool_use_id: 'srvtoolu_earlier',
            content: [{ type: 'web_search_result', url: 'https://example.com', title: 'Example' }],
          },
        },
        { type: 'content_block_stop', index: 0 },
        ...textBlock.map((event) => ({ ...event, index: 1 })),
        { ...ending[0]!, index: 1 },
        ending[1]!,
        ending[2]!,
      ),
    )
    expect(message.parts[0]).toMatchObject({
      type: 'tool-call',
      toolCallId: 'srvtoolu_earlier',
      toolName: 'web_search',
      providerExecuted: true,
      state: 'output-available',
      output: [{ type: 'web_search_result', url: 'https://example.com' }],
    })
    expect(messageText(message)).toBe('Hello')
  })

  it('tool input nested thousands deep is a clear message error, not a RangeError, and keeps the text', () => {
    const depth = 5000
    const input = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
    const body = `${sse(messageStart, ...textBlock)}event: content_block_start\ndata: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"deep","input":${input}}}\n\n`
    const message = decodeBody(body)
    expect(message.status).toBe('error')
    expect(message.error).toMatchObject({ code: 'value-too-deep' })
    expect(message.error?.message).toContain('the input of tool call "toolu_1"')
    expect(messageText(message)).toBe('Hello')
  })

  it('unknown events, unknown deltas and ping change nothing', () => {
    const message = decodeBody(
      sse(
        messageStart,
        { type: 'ping' },
        textBlock[0]!,
        { type: 'content_block_delta', index: 0, delta: { type: 'compaction_delta', data: 'x' } },
        { type: 'brand_new_event', index: 0 },
        textBlock[1]!,
        ...ending,
      ),
    )
    expect(messageText(message)).toBe('Hello')
    expect(message.status).toBe('complete')
  })

  it('a tool without arguments streams only "" and gets {}', () => {
    const message = decodeBody(
      sse(
        messageStart,
        {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'tool_use', id: 'toolu_1', name: 'now', input: {} },
        },
        { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '' } },
        { type: 'content_block_stop', index: 0 },
        { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 5 } },
        { type: 'message_stop' },
      ),
    )
    expect(toolCalls(message)).toEqual([
      { toolCallId: 'toolu_1', toolName: 'now', state: 'input-available', input: {} },
    ])
  })

  it.each([
    ['stop_sequence', 'stop'],
    ['refusal', 'content-filter'],
    ['pause_turn', 'other'],
    ['something_new', 'other'],
  ])('stop_reason %s → %s', (stopReason, finishReason) => {
    const message = decodeBody(
      sse(
        messageStart,
        ...textBlock,
        ending[0]!,
        { type: 'message_delta', delta: { stop_reason: stopReason } },
        ending[2]!,
      ),
    )
    expect(message.finishReason).toBe(finishReason)
    expect(message.rawFinishReason).toBe(stopReason)
  })

  it('cache reads and writes count as input; cache reads are cachedInputTokens', () => {
    const message = decodeBody(
      sse(
        {
          ...messageStart,
          message: {
            ...messageStart.message,
            usage: {
              input_tokens: 5,
              cache_creation_input_tokens: 100,
              cache_read_input_tokens: 2000,
              output_tokens: 1,
            },
          },
        },
        ...textBlock,
        ...ending,
      ),
    )
    expect(message.usage).toEqual({
      inputTokens: 2105,
      cachedInputTokens: 2000,
      outputTokens: 2,
      totalTokens: 2107,
    })
  })

  it('redacted thinking is kept as an empty reasoning part with its data as the signature', () => {
    const message = decodeBody(
      sse(
        messageStart,
        {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'redacted_thinking', data: 'EmwKAhgBEgy3' },
        },
        { type: 'content_block_stop', index: 0 },
        { type: 'message_delta', delta: { stop_reason: 'end_turn' } },
        { type: 'message_stop' },
      ),
    )
    expect(message.parts).toMatchObject([{ type: 'reasoning', text: '', signature: 'EmwKAhgBEgy3' }])
  })

  it('a web search error result is a tool error', () => {
    const message = decodeBody(
      sse(
        messageStart,
        {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
        },
        {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'input_json_delta', partial_json: '{"query":"x"}' },
        },
        { type: 'content_block_stop', index: 0 },
        {
          type: 'content_block_start',
          index: 1,
          content_block: {
            type: 'web_search_tool_result',
            tool_use_id: 'srvtoolu_1',
            content: { type: 'web_search_tool_result_error', error_code: 'max_uses_exceeded' },
          },
        },
        { type: 'content_block_stop', index: 1 },
        { type: 'message_delta', delta: { stop_reason: 'end_turn' } },
        { type: 'message_stop' },
      ),
    )
    const [call] = messageToolCalls(message)
    expect(call?.state).toBe('output-error')
    expect(call?.errorText).toContain('max_uses_exceeded')
  })
})

describe('anthropic non-streaming bodies and HTTP errors', () => {
  it('decodeResponse reads a stream: false body', () => {
    const events = anthropicProtocol.decodeResponse!({
      id: 'msg_9',
      type: 'message',
      role: 'assistant',
      model: 'claude-x',
      content: [
        { type: 'thinking', thinking: 'Hmm.', signature: 'sig1' },
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'toolu_9', name: 'lookup', input: { q: 'x' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 3, output_tokens: 4 },
    })
    const message = onlyMessage(events)
    expect(message.id).toBe('msg_9')
    expect(message.status).toBe('complete')
    expect(message.parts[0]).toMatchObject({ type: 'reasoning', text: 'Hmm.', signature: 'sig1' })
    expect(messageText(message)).toBe('Checking.')
    expect(toolCalls(message)).toEqual([
      { toolCallId: 'toolu_9', toolName: 'lookup', state: 'input-available', input: { q: 'x' } },
    ])
    expect(message.finishReason).toBe('tool-calls')
    expect(message.usage).toEqual({ inputTokens: 3, outputTokens: 4, totalTokens: 7 })
  })

  it('decodeError reads the Anthropic error body', () => {
    expect(
      anthropicProtocol.decodeError!(
        { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_1' },
        529,
      ),
    ).toEqual({ message: 'Overloaded', code: 'overloaded_error', status: 529 })
    expect(
      anthropicProtocol.decodeError!(
        '{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}',
        429,
      ),
    ).toEqual({
      message: 'Number of request tokens has exceeded your per-minute rate limit',
      code: 'rate_limit_error',
      status: 429,
    })
  })
})
