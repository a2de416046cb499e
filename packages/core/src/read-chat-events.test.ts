import { describe, expect, it, vi } from 'vitest'
import { ChatRequestError } from './chat/transport.ts'
import { ChatStreamError } from './chat-stream-error.ts'
import { collectMessage } from './collect-message.ts'
import type { ChatEvent } from './events.ts'
import type { Protocol } from './protocol.ts'
import { readChatEventBatches, readChatEvents } from './read-chat-events.ts'

vi.mock('react', () => ({}))

const encoder = new TextEncoder()

/**
 * A tiny protocol for these tests: frame `start` starts message m1, `end` ends it, anything
 * else is text. The end of the source without `end` is an interrupt, as real decoders do.
 */
const lineProtocol: Protocol = {
  id: 'text',
  framing: 'sse',
  createDecoder(options = {}) {
    const messageId = options.messageId ?? 'm1'
    let ended = false
    return {
      decode(frame): ChatEvent[] {
        if (frame.data === 'start') return [{ type: 'message-start', messageId }]
        if (frame.data === 'end') {
          ended = true
          return [{ type: 'message-end', messageId, finishReason: 'stop' }]
        }
        return [{ type: 'text-delta', messageId, id: 't', delta: frame.data }]
      },
      end(): ChatEvent[] {
        return ended ? [] : [{ type: 'message-interrupt', messageId, error: { message: 'no end' } }]
      },
    }
  },
}

async function collect(iterable: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const events: ChatEvent[] = []
  for await (const event of iterable) events.push(event)
  return events
}

function textOf(events: readonly ChatEvent[]): string {
  return events.map((event) => (event.type === 'text-delta' ? event.delta : '')).join('')
}

/** A byte stream that enqueues one chunk per pull and records pulls and cancels. */
function trackedStream(chunks: readonly string[], options: { stallAfter?: number } = {}) {
  const record = { pulls: 0, cancelled: false, cancelReason: undefined as unknown }
  let index = 0
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        record.pulls += 1
        if (options.stallAfter !== undefined && index >= options.stallAfter)
          return new Promise<void>(() => {})
        const chunk = chunks[index]
        index += 1
        if (chunk === undefined) controller.close()
        else controller.enqueue(encoder.encode(chunk))
        return undefined
      },
      cancel(reason) {
        record.cancelled = true
        record.cancelReason = reason
      },
    },
    { highWaterMark: 0 },
  )
  return { stream, record }
}

describe('readChatEvents', () => {
  it('reads a ReadableStream of bytes into events, then runs the decoder end', async () => {
    const { stream } = trackedStream(['data: start\n\ndata: Hel', 'lo\n\ndata: ', ' wörld\n\ndata: end\n\n'])
    const events = await collect(readChatEvents(stream, lineProtocol))
    expect(events).toEqual([
      { type: 'message-start', messageId: 'm1' },
      { type: 'text-delta', messageId: 'm1', id: 't', delta: 'Hello' },
      { type: 'text-delta', messageId: 'm1', id: 't', delta: ' wörld' },
      { type: 'message-end', messageId: 'm1', finishReason: 'stop' },
    ])
  })

  it('reads an async iterable of strings and bytes, mixed', async () => {
    async function* source() {
      yield 'data: start\n\n'
      yield encoder.encode('data: é').subarray(0, 7)
      yield encoder.encode('é').subarray(1)
      yield '\n\ndata: end'
    }
    const events = await collect(readChatEvents(source(), lineProtocol, { messageId: 'x' }))
    expect(textOf(events)).toBe('é')
    expect(events.at(-1)).toEqual({ type: 'message-end', messageId: 'x', finishReason: 'stop' })
  })

  it('gives the decoder end a chance to report a stream cut short', async () => {
    async function* source() {
      yield 'data: start\n\ndata: partial'
    }
    const cut = await collect(readChatEvents(source(), lineProtocol))
    // The unterminated last event is flushed at the end, then the decoder reports the missing end.
    expect(cut.at(-2)).toEqual({ type: 'text-delta', messageId: 'm1', id: 't', delta: 'partial' })
    expect(cut.at(-1)).toEqual({ type: 'message-interrupt', messageId: 'm1', error: { message: 'no end' } })
  })

  it('pulls from the source only as fast as the consumer iterates', async () => {
    const chunks = Array.from({ length: 50 }, (_, index) => `data: ${index}\n\n`)
    const { stream, record } = trackedStream(['data: start\n\n', ...chunks])
    const iterator = readChatEvents(stream, lineProtocol)[Symbol.asyncIterator]()
    await iterator.next()
    await iterator.next()
    expect(record.pulls).toBeLessThanOrEqual(3)
    await iterator.return?.()
    expect(record.cancelled).toBe(true)
  })

  it('cancels the source when the consumer stops early', async () => {
    const { stream, record } = trackedStream([
      'data: start\n\n',
      'data: a\n\n',
      'data: b\n\n',
      'data: end\n\n',
    ])
    for await (const event of readChatEvents(stream, lineProtocol)) {
      if (event.type === 'text-delta') break
    }
    expect(record.cancelled).toBe(true)
  })

  it('stops on abort mid-stream: throws the abort reason and cancels the source', async () => {
    const { stream, record } = trackedStream(['data: start\n\n', 'data: a\n\n'], { stallAfter: 2 })
    const controller = new AbortController()
    const seen: ChatEvent[] = []
    const reading = (async () => {
      for await (const event of readChatEvents(stream, lineProtocol, { signal: controller.signal })) {
        seen.push(event)
        if (event.type === 'text-delta') setTimeout(() => controller.abort(), 5)
      }
    })()
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' })
    expect(seen.map((event) => event.type)).toEqual(['message-start', 'text-delta'])
    expect(record.cancelled).toBe(true)
    expect(record.cancelReason).toBe(controller.signal.reason)
  })

  it('stops on abort between two events of the same chunk', async () => {
    const { stream, record } = trackedStream(['data: start\n\ndata: a\n\ndata: b\n\n', 'data: end\n\n'])
    const controller = new AbortController()
    const seen: string[] = []
    const reading = (async () => {
      for await (const event of readChatEvents(stream, lineProtocol, { signal: controller.signal })) {
        seen.push(event.type)
        if (event.type === 'text-delta') controller.abort()
      }
    })()
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' })
    expect(seen).toEqual(['message-start', 'text-delta'])
    expect(record.cancelled).toBe(true)
  })

  it('stops on abort even when an async iterable source never answers', async () => {
    let returned = false
    const source: AsyncIterable<string> = {
      [Symbol.asyncIterator]() {
        let first = true
        return {
          next: () => {
            if (first) {
              first = false
              return Promise.resolve({ done: false, value: 'data: start\n\n' })
            }
            return new Promise<IteratorResult<string>>(() => {})
          },
          return: () => {
            returned = true
            return Promise.resolve({ done: true, value: undefined })
          },
        }
      },
    }
    const controller = new AbortController()
    const reason = new Error('user stopped')
    const reading = collect(readChatEvents(source, lineProtocol, { signal: controller.signal }))
    setTimeout(() => controller.abort(reason), 5)
    await expect(reading).rejects.toBe(reason)
    expect(returned).toBe(true)
  })

  it('throws at once for a signal that is already aborted, without reading', async () => {
    const { stream, record } = trackedStream(['data: start\n\n'])
    const controller = new AbortController()
    controller.abort()
    await expect(
      collect(readChatEvents(stream, lineProtocol, { signal: controller.signal })),
    ).rejects.toMatchObject({
      name: 'AbortError',
    })
    expect(record.pulls).toBe(0)
  })

  it('keeps the partial answer and ends with a buffer-overflow error when a line never ends', async () => {
    const { stream, record } = trackedStream([
      'data: start\n\ndata: kept\n\n',
      `data: ${'x'.repeat(100)}`,
      'data: b\n\n',
    ])
    const events = await collect(readChatEvents(stream, lineProtocol, { maxBufferSize: 64 }))
    expect(textOf(events)).toBe('kept')
    const last = events.at(-1)
    expect(last?.type).toBe('message-error')
    expect(last?.type === 'message-error' && last.error.code).toBe('buffer-overflow')
    expect(record.cancelled).toBe(true)
  })

  it('turns a source that fails mid-stream into an interrupt that keeps the partial answer', async () => {
    async function* source() {
      yield 'data: start\n\ndata: half an answer\n\n'
      throw new TypeError('network error')
    }
    const events = await collect(readChatEvents(source(), lineProtocol))
    expect(textOf(events)).toBe('half an answer')
    const last = events.at(-1)
    expect(last?.type).toBe('message-interrupt')
    expect(last?.type === 'message-interrupt' && last.error?.message).toContain('network error')
  })

  it('throws the source error when it fails before any message', async () => {
    async function* source(): AsyncGenerator<string> {
      yield* []
      throw new TypeError('connection refused')
    }
    await expect(collect(readChatEvents(source(), lineProtocol))).rejects.toThrow('connection refused')
  })

  it('with framing "frames", makes every source item one frame, newlines and all', async () => {
    async function* source() {
      yield 'start'
      yield 'line one\n\nline two'
      yield encoder.encode('end')
    }
    const events = await collect(readChatEvents(source(), lineProtocol, { framing: 'frames' }))
    expect(textOf(events)).toBe('line one\n\nline two')
    expect(events.at(-1)?.type).toBe('message-end')
  })

  it('with framing "ndjson", reads lines', async () => {
    async function* source() {
      yield 'start\r\nab'
      yield 'c\n\nend'
    }
    expect(textOf(await collect(readChatEvents(source(), lineProtocol, { framing: 'ndjson' })))).toBe('abc')
  })

  it('applies inline tags when asked', async () => {
    async function* source() {
      yield 'data: start\n\ndata: <thi\n\ndata: nk>why</think>Because.\n\ndata: end\n\n'
    }
    const events = await collect(readChatEvents(source(), lineProtocol, { inlineTags: true }))
    expect(events.filter((event) => event.type === 'reasoning-delta')).toEqual([
      { type: 'reasoning-delta', messageId: 'm1', id: 't-reasoning-1', delta: 'why' },
    ])
    expect(textOf(events)).toBe('Because.')
  })

  it('rejects an unknown protocol id with the known ones', async () => {
    await expect(collect(readChatEvents((async function* () {})(), 'nope' as never))).rejects.toThrow(
      /Unknown protocol "nope"/,
    )
  })

  it('yields one batch per chunk that produced events', async () => {
    async function* source() {
      yield 'data: start\n\ndata: a\n\n'
      yield 'data: b'
      yield '\n\ndata: end\n\n'
    }
    const batches: ChatEvent[][] = []
    for await (const batch of readChatEventBatches(source(), lineProtocol)) batches.push(batch)
    expect(batches.map((batch) => batch.map((event) => event.type))).toEqual([
      ['message-start', 'text-delta'],
      ['text-delta', 'message-end'],
    ])
  })

  describe('a decoder that throws', () => {
    /** `lineProtocol`, except that frame `boom` throws as a decoder bug on hostile input would. */
    const throwingProtocol = (where: 'decode' | 'end', thrown: () => unknown): Protocol => ({
      id: 'ag-ui',
      framing: 'sse',
      createDecoder(options) {
        const inner = lineProtocol.createDecoder(options)
        return {
          decode(frame) {
            if (where === 'decode' && frame.data === 'boom') throw thrown()
            return inner.decode(frame)
          },
          end() {
            if (where === 'end') throw thrown()
            return inner.end()
          },
        }
      },
    })
    const stackOverflow = () => new RangeError('Maximum call stack size exceeded')

    it('ends the message with a decoder-error naming the protocol, keeping the text of the same chunk', async () => {
      const { stream, record } = trackedStream([
        'data: start\n\ndata: before \n\n',
        'data: same chunk\n\ndata: boom\n\ndata: after\n\n',
        'data: never read\n\n',
      ])
      const events = await collect(readChatEvents(stream, throwingProtocol('decode', stackOverflow)))
      expect(textOf(events)).toBe('before same chunk')
      const last = events.at(-1)
      expect(last?.type).toBe('message-error')
      if (last?.type !== 'message-error') return
      expect(last.error.code).toBe('decoder-error')
      expect(last.error.message).toContain('The ag-ui decoder failed')
      expect(last.error.message).toContain('Check that the server sends an ag-ui stream in sse framing')
      expect(last.error.message).toContain('RangeError: Maximum call stack size exceeded')
      expect(record.cancelled).toBe(true)
    })

    it('collectMessage resolves with the partial answer and status error', async () => {
      async function* source() {
        yield 'data: start\n\ndata: partial\n\ndata: boom\n\n'
      }
      const message = await collectMessage(source(), throwingProtocol('decode', stackOverflow))
      expect(message.status).toBe('error')
      expect(message.error?.code).toBe('decoder-error')
      expect(message.parts).toEqual([{ type: 'text', id: 't', text: 'partial', state: 'done' }])
    })

    it('catches a throw in end(), and a thrown value that is not an Error', async () => {
      async function* source() {
        yield 'data: start\n\ndata: all of it\n\n'
      }
      const message = await collectMessage(
        source(),
        throwingProtocol('end', () => Object.create(null)),
      )
      expect(message.status).toBe('error')
      expect(message.error?.message).toContain('a value that is not an Error')
      expect(message.parts[0]).toMatchObject({ text: 'all of it' })
    })

    it('rejects with a typed ChatStreamError when no message had begun', async () => {
      async function* source() {
        yield 'data: boom\n\n'
      }
      const rejection = collectMessage(source(), throwingProtocol('decode', stackOverflow))
      await expect(rejection).rejects.toBeInstanceOf(ChatStreamError)
      await expect(rejection).rejects.toMatchObject({ code: 'decoder-error', protocol: 'ag-ui' })
    })

    it('is caught with inline tags on too, and the held-back text is flushed', async () => {
      async function* source() {
        yield 'data: start\n\ndata: Answer <thi\n\ndata: boom\n\n'
      }
      const message = await collectMessage(source(), throwingProtocol('decode', stackOverflow), {
        inlineTags: true,
      })
      expect(message.status).toBe('error')
      expect(message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('')).toBe(
        'Answer <thi',
      )
    })
  })

  it('an interrupted ChatRequestError from the source (a transport timeout) becomes the interrupt as given', async () => {
    async function* source() {
      yield 'data: start\n\ndata: partial\n\n'
      throw new ChatRequestError('interrupted', {
        code: 'idle-timeout',
        message: 'No data for 5 s (idleTimeout).',
      })
    }
    const events = await collect(readChatEvents(source(), lineProtocol))
    expect(events.at(-1)).toEqual({
      type: 'message-interrupt',
      messageId: 'm1',
      error: { code: 'idle-timeout', message: 'No data for 5 s (idleTimeout).' },
    })
  })
})
