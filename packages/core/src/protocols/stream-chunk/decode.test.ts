import { describe, expect, it, vi } from 'vitest'
import { collectMessage } from '../../collect-message.ts'
import type { ChatEvent } from '../../events.ts'
import { createFramer } from '../../framing/create-framer.ts'
import { createTextChunkDecoder } from '../../framing/create-text-chunk-decoder.ts'
import { type Message, messageText } from '../../message.ts'
import type { DecoderOptions, Framing } from '../../protocol.ts'
import { initialChatState, reduceChat } from '../../reducer.ts'
import { streamChunkProtocol } from './decode.ts'

vi.mock('react', () => ({}))

/** Bytes (in the given chunks) → framing → decoder → reducer: the message a client ends with. */
function collect(
  chunks: readonly string[],
  framing: Framing = 'sse',
  options: DecoderOptions = { messageId: 'a1' },
) {
  const text = createTextChunkDecoder()
  const framer = createFramer(framing)
  const decoder = streamChunkProtocol.createDecoder(options)
  const events: ChatEvent[] = []
  const encoder = new TextEncoder()
  for (const chunk of chunks) {
    for (const frame of framer.push(text.decode(encoder.encode(chunk)))) events.push(...decoder.decode(frame))
  }
  for (const frame of framer.end()) events.push(...decoder.decode(frame))
  events.push(...decoder.end())
  const state = reduceChat(initialChatState, events)
  const id = options.messageId ?? 'stream-chunk-response'
  return { message: state.messages[id] as Message, events, state }
}

const sse = (...payloads: string[]) => payloads.map((payload) => `data: ${payload}\n\n`).join('')

describe('stream-chunk decoder', () => {
  it('appends text, tracks the cumulative token count and ends on is_complete', () => {
    const body = sse(
      '{"text":"The capital","is_complete":false,"token_count":2,"metadata":{"model":"kb-7b","request_id":"r-19"}}',
      '{"text":" of France is","is_complete":false,"token_count":5}',
      '{"text":" Paris.","is_complete":false,"token_count":7}',
      '{"text":"","is_complete":true,"token_count":7}',
    )
    // Cut the bytes in awkward places: inside a JSON string and between "\n" and "\n".
    const { message } = collect([body.slice(0, 17), body.slice(17, 90), body.slice(90, 91), body.slice(91)])
    expect(message.status).toBe('complete')
    expect(message.finishReason).toBe('stop')
    expect(messageText(message)).toBe('The capital of France is Paris.')
    expect(message.usage).toEqual({ outputTokens: 7 })
    expect(message.metadata).toEqual({ model: 'kb-7b', request_id: 'r-19' })
    expect(message.parts).toHaveLength(1)
  })

  it('reads the same objects as NDJSON lines or WebSocket frames', () => {
    const lines = [
      '{"text":"Hi","is_complete":false,"token_count":1}',
      '{"text":" there","is_complete":true,"token_count":2}',
    ]
    const ndjson = collect([`${lines.join('\n')}\n`], 'ndjson').message
    const frames = collect(lines, 'frames').message
    for (const message of [ndjson, frames]) {
      expect(messageText(message)).toBe('Hi there')
      expect(message.status).toBe('complete')
      expect(message.usage?.outputTokens).toBe(2)
    }
  })

  it('shows the token count while streaming', () => {
    const { state } = collect([sse('{"text":"One","is_complete":false,"token_count":1}')])
    // The stream was cut, but the count streamed so far is on the message.
    expect(state.messages.a1?.usage?.outputTokens).toBe(1)
  })

  it('keeps a finish_reason on the completing frame', () => {
    const { message } = collect([
      sse(
        '{"text":"Once upon","is_complete":false}',
        '{"text":"","is_complete":true,"finish_reason":"max_tokens"}',
      ),
    ])
    expect(message.finishReason).toBe('length')
    expect(message.rawFinishReason).toBe('max_tokens')
  })

  it('turns an error frame (string or object) into a message error with the partial text kept', () => {
    const stringError = collect([
      sse('{"text":"Partial","is_complete":false}', '{"error":"Model overloaded, try again"}'),
    ]).message
    expect(stringError.status).toBe('error')
    expect(stringError.error?.message).toBe('Model overloaded, try again')
    expect(messageText(stringError)).toBe('Partial')

    const objectError = collect([sse('{"error":{"message":"Context too long","code":413}}')]).message
    expect(objectError.status).toBe('error')
    expect(objectError.error).toEqual({ message: 'Context too long', code: '413' })
  })

  it('reports a stream that ends without is_complete as interrupted, keeping the text', () => {
    const { message } = collect([sse('{"text":"Half an ans","is_complete":false,"token_count":3}')])
    expect(message.status).toBe('interrupted')
    expect(messageText(message)).toBe('Half an ans')
    expect(message.error?.message).toContain('is_complete')
  })

  it('turns malformed JSON followed by another frame into a message error', () => {
    const { message } = collect([
      sse('{"text":"ok","is_complete":false}', '{"text":"br', '{"text":" more","is_complete":false}'),
    ])
    expect(message.status).toBe('error')
    expect(message.error?.code).toBe('invalid-frame')
    expect(messageText(message)).toBe('ok')
  })

  it('reads a malformed last frame as cut by the end of the body: interrupted, text kept', () => {
    const { message } = collect([sse('{"text":"ok","is_complete":false}', '{"text":"br')])
    expect(message.status).toBe('interrupted')
    expect(message.error?.message).toContain('its last frame was cut off')
    expect(messageText(message)).toBe('ok')
  })

  it('ignores keep-alives, [DONE], non-objects, unknown fields and anything after the end', () => {
    const body = `: keep-alive\n\n${sse(
      '{"text":"A","is_complete":false,"logprobs":[0.1],"stage":"decode"}',
      '42',
      '[DONE]',
      '{"text":"B","is_complete":true}',
      '{"text":"C","is_complete":false}',
    )}`
    const { message, events } = collect([body])
    expect(messageText(message)).toBe('AB')
    expect(message.status).toBe('complete')
    expect(events.filter((event) => event.type === 'message-interrupt')).toEqual([])
  })

  it('uses its default message id when the caller gives none', () => {
    const { message } = collect([sse('{"text":"x","is_complete":true}')], 'sse', {})
    expect(message.id).toBe('stream-chunk-response')
  })
})

describe('streamChunkProtocol', () => {
  it('decodes a non-streaming body and reads error bodies', () => {
    const events =
      streamChunkProtocol.decodeResponse?.({ text: 'Whole answer', token_count: 2 }, { messageId: 'a1' }) ??
      []
    const message = reduceChat(initialChatState, events).messages.a1
    expect(message?.status).toBe('complete')
    expect(message && messageText(message)).toBe('Whole answer')
    expect(streamChunkProtocol.decodeError?.({ error: { message: 'Bad key', code: 'auth' } }, 401)).toEqual({
      message: 'Bad key',
      code: 'auth',
      status: 401,
    })
  })
})

describe('stream-chunk decoder, the shapes of seed 001', () => {
  it('reads StreamChunk { text, is_complete, token_count, metadata? }: progress while streaming, metadata kept', () => {
    const decoder = streamChunkProtocol.createDecoder({ messageId: 'a1' })
    const frames = [
      { text: 'Hel', is_complete: false, token_count: 1, metadata: { token_ids: [9906], elapsed_ms: 31 } },
      { text: 'lo', is_complete: false, token_count: 2, metadata: null },
      { text: '', is_complete: true, token_count: 2, metadata: { token_ids: [385], elapsed_ms: 58 } },
    ]
    let state = initialChatState
    const progress: (number | undefined)[] = []
    for (const frame of frames) {
      state = reduceChat(state, decoder.decode({ data: JSON.stringify(frame) }))
      progress.push(state.messages.a1?.usage?.outputTokens)
    }
    expect(progress).toEqual([1, 2, 2])
    const message = state.messages.a1!
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe('Hello')
    expect(message.metadata).toEqual({ token_ids: [385], elapsed_ms: 58 })
  })

  it('names a field of the wrong type in a clear error and keeps the text', () => {
    const decoder = streamChunkProtocol.createDecoder({ messageId: 'a1' })
    const events = [
      ...decoder.decode({ data: '{"text":"Kept","is_complete":false,"token_count":1}' }),
      ...decoder.decode({ data: '{"text":"x","is_complete":false,"token_count":"2"}' }),
      ...decoder.decode({ data: '{"text":" late","is_complete":true,"token_count":3}' }),
    ]
    const message = reduceChat(initialChatState, events).messages.a1!
    expect(message.status).toBe('error')
    expect(message.error?.message).toContain('stream-chunk')
    expect(message.error?.message).toContain('"token_count" is a string, expected a number')
    expect(messageText(message)).toBe('Kept')
  })
})

describe('stream-chunk through collectMessage', () => {
  it('collects the final message from a response body by protocol id', async () => {
    const body = new Response(
      'data: {"text":"Bonjour","is_complete":false,"token_count":1}\n\ndata: {"text":" !","is_complete":true,"token_count":2}\n\n',
    ).body!
    const message = await collectMessage(body, 'stream-chunk', { messageId: 'a1' })
    expect(message).toMatchObject({ id: 'a1', status: 'complete', usage: { outputTokens: 2 } })
    expect(messageText(message)).toBe('Bonjour !')
  })
})
