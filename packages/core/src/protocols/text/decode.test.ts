import { describe, expect, it, vi } from 'vitest'
import { chunkedBytes, fromChunks } from '../../../../../test/helpers/fixtures.ts'
import { collectMessage } from '../../collect-message.ts'
import { type Message, messageText } from '../../message.ts'
import { initialChatState, reduceChat } from '../../reducer.ts'
import { textProtocol } from './decode.ts'

// Core must never need React.
vi.mock('react', () => ({}))

function collect(body: string, sizes: readonly number[] = []): Promise<Message> {
  return collectMessage(fromChunks(chunkedBytes(body, sizes)), textProtocol, { messageId: 'm1' })
}

const body = '# Title\n\nSome **markdown** with ünïcödé, emoji 👩‍💻 and a line\r\nbreak.\n'

describe('text protocol', () => {
  it('appends every frame to one text part and completes at the end of the body', async () => {
    const message = await collect(body)
    expect(message.status).toBe('complete')
    expect(message.finishReason).toBe('stop')
    expect(message.parts).toHaveLength(1)
    expect(messageText(message)).toBe(body)
  })

  it('gives the same text however the bytes are split (multi-byte characters included)', async () => {
    for (const sizes of [Array(200).fill(1), [3, 1, 4, 1, 5, 9, 2, 6], [17, 2]]) {
      expect(messageText(await collect(body, sizes))).toBe(body)
    }
  })

  it('makes an empty body an empty complete message', async () => {
    const message = await collect('')
    expect(message.status).toBe('complete')
    expect(messageText(message)).toBe('')
  })

  it('decodes a whole text body and reads a text error body', () => {
    const state = reduceChat(initialChatState, textProtocol.decodeResponse!('Hello.', { messageId: 'm1' }))
    expect(messageText(state.messages.m1!)).toBe('Hello.')
    expect(state.messages.m1?.status).toBe('complete')
    expect(textProtocol.decodeError!('Rate limited, try later.\n', 429)).toEqual({
      message: 'Rate limited, try later.',
      status: 429,
    })
    expect(textProtocol.decodeError!('', 500)).toBeUndefined()
  })

  it('turns a whole JSON body too deep to write out into a clear error, not a RangeError', () => {
    let deep: unknown = 1
    for (let level = 0; level < 20_000; level += 1) deep = [deep]
    const state = reduceChat(initialChatState, textProtocol.decodeResponse!(deep, { messageId: 'm1' }))
    expect(state.messages.m1).toMatchObject({ status: 'error', error: { code: 'value-too-deep' } })
    expect(state.messages.m1?.error?.message).toContain('The text stream sent a JSON body nested more than')
  })

  it('ignores frames after the end', () => {
    const decoder = textProtocol.createDecoder({ messageId: 'm1' })
    const events = [
      ...decoder.decode({ data: 'Hi' }),
      ...decoder.end(),
      ...decoder.decode({ data: 'late' }),
      ...decoder.end(),
    ]
    expect(events.map((event) => event.type)).toEqual([
      'message-start',
      'text-start',
      'text-delta',
      'text-end',
      'message-end',
    ])
    expect(events[1]).toMatchObject({ id: 'text-0' })
  })
})
