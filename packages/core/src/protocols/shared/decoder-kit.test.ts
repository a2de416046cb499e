import { describe, expect, it, vi } from 'vitest'
import type { ChatEvent } from '../../events.ts'
import { isRecord, stringField } from '../json-frame.ts'
import { onlyMessage } from '../test-helpers/only-message.ts'
import {
  createJsonFrameDecoder,
  createMessageEmitter,
  createTextBlocks,
  isForbiddenKey,
  maxWireDepth,
  replayJsonBody,
  stringifyWireValue,
  WireValueError,
  wireDepthExceeds,
} from './index.ts'

// Core must never need React.
vi.mock('react', () => ({}))

/** A toy protocol written with the kit: `{"text"}` frames, `{"finish"}` then `{"stop":true}` end it. */
function createToyDecoder(messageId?: string) {
  const message = createMessageEmitter({ messageId, fallbackMessageId: 'toy' })
  const blocks = createTextBlocks(() => message.messageId)
  return createJsonFrameDecoder(message, 'toy', {
    literal(frame) {
      if (frame.data !== '[DONE]') return false
      blocks.close(message)
      message.end()
      return true
    },
    value(value) {
      if (!isRecord(value)) return
      message.useWireId(stringField(value.id))
      if (value.explode === true) throw new TypeError('the mapping did not expect this')
      if (value.input !== undefined)
        message.push({
          type: 'data',
          messageId: message.messageId,
          name: 'input',
          data: stringifyWireValue(value.input, 'toy', 'an input'),
        })
      blocks.append(message, 'text', stringField(value.text) ?? '')
      const finish = stringField(value.finish)
      if (finish !== undefined) {
        blocks.close(message)
        message.finishSeen({ finishReason: 'stop', rawFinishReason: finish })
      }
    },
    endOfSource(cutOff) {
      blocks.close(message)
      message.endOfSource(`The toy stream ended early${cutOff ? ' in the middle of a frame' : ''}.`)
    },
  })
}

function decodeAll(frames: readonly string[], messageId?: string): ChatEvent[] {
  const decoder = createToyDecoder(messageId)
  return [...frames.flatMap((data) => decoder.decode({ data })), ...decoder.end()]
}

describe('the decoder kit', () => {
  it('starts the message once, with the wire id when the caller gave none, and ends it once', () => {
    const events = decodeAll([
      '{"id":"w1","text":"Hel"}',
      '{"text":"lo"}',
      '{"finish":"eos"}',
      '[DONE]',
      '{"text":"late"}',
    ])
    expect(events.filter((event) => event.type === 'message-start')).toEqual([
      { type: 'message-start', messageId: 'w1', role: 'assistant' },
    ])
    const message = onlyMessage(events, 'w1')
    expect(message).toMatchObject({ status: 'complete', finishReason: 'stop', rawFinishReason: 'eos' })
    expect(message.parts).toMatchObject([{ type: 'text', id: 'text-0', text: 'Hello' }])
  })

  it("keeps the caller's id over the wire's", () => {
    expect(onlyMessage(decodeAll(['{"id":"w1","text":"Hi"}', '[DONE]'], 'mine'), 'mine').status).toBe(
      'complete',
    )
  })

  it('completes a message whose finish came and whose terminator was lost', () => {
    const message = onlyMessage(decodeAll(['{"text":"Hi"}', '{"finish":"stop"}']))
    expect(message).toMatchObject({ status: 'complete', finishReason: 'stop' })
  })

  it('interrupts a message cut before its finish, keeping the text', () => {
    const message = onlyMessage(decodeAll(['{"text":"Hi"}']))
    expect(message.status).toBe('interrupted')
    expect(message.error).toMatchObject({
      code: 'stream-interrupted',
      message: 'The toy stream ended early.',
    })
    expect(message.parts).toMatchObject([{ type: 'text', text: 'Hi' }])
  })

  it('reads a malformed last frame as cut by the end of the body: interrupted, text kept', () => {
    const message = onlyMessage(decodeAll(['{"text":"Hi"}', '{"text":"the']))
    expect(message.status).toBe('interrupted')
    expect(message.error?.message).toContain('in the middle of a frame')
    expect(message.parts).toMatchObject([{ type: 'text', text: 'Hi' }])
  })

  it('reads a malformed last frame after the finish as complete', () => {
    expect(onlyMessage(decodeAll(['{"text":"Hi"}', '{"finish":"stop"}', '[DO'])).status).toBe('complete')
  })

  it('reads a malformed frame followed by another frame as a broken stream: error, text kept', () => {
    const message = onlyMessage(decodeAll(['{"text":"Hi"}', 'not json', '{"text":" more"}']))
    expect(message.status).toBe('error')
    expect(message.error).toMatchObject({ code: 'invalid-frame' })
    expect(message.error?.message).toContain('Received a toy frame that is not valid JSON')
    expect(message.parts).toMatchObject([{ type: 'text', text: 'Hi' }])
  })

  it('reopens a complete message for a wire that runs again (continuesAfterEnd), and only then', () => {
    function createRunsDecoder(continuesAfterEnd: boolean) {
      const message = createMessageEmitter({ fallbackMessageId: 'runs' })
      const blocks = createTextBlocks(() => message.messageId)
      return createJsonFrameDecoder(message, 'runs', {
        value(value) {
          if (!isRecord(value)) return
          if (value.run === true) message.reopen({ run: 2 })
          blocks.append(message, 'text', stringField(value.text) ?? '')
          if (value.done === true) {
            blocks.close(message)
            message.end({ finishReason: 'stop' })
          }
        },
        endOfSource: () => message.endOfSource('The runs stream ended early.'),
        continuesAfterEnd,
      })
    }
    const frames = ['{"text":"One."}', '{"done":true}', '{"run":true,"text":" Two."}', '{"done":true}']
    const run = (continuesAfterEnd: boolean) => {
      const decoder = createRunsDecoder(continuesAfterEnd)
      return [...frames.flatMap((data) => decoder.decode({ data })), ...decoder.end()]
    }
    const continued = run(true)
    expect(continued.filter((event) => event.type === 'message-start')).toHaveLength(2)
    expect(continued.filter((event) => event.type === 'message-end')).toHaveLength(2)
    const message = onlyMessage(continued, 'runs')
    expect(message).toMatchObject({ status: 'complete', metadata: { run: 2 } })
    expect(message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('')).toBe('One. Two.')

    const closed = onlyMessage(run(false), 'runs')
    expect(closed.parts.map((part) => (part.type === 'text' ? part.text : '')).join('')).toBe('One.')

    // reopen does nothing unless the message ended complete.
    const emitter = createMessageEmitter({ fallbackMessageId: 'x' })
    emitter.fail({ code: 'boom', message: 'Boom.' })
    emitter.reopen()
    expect(emitter.isTerminal).toBe(true)
    expect(emitter.take().map((event) => event.type)).toEqual(['message-start', 'message-error'])
  })

  it('skips blank frames', () => {
    expect(onlyMessage(decodeAll(['', '  ', '{"text":"Hi"}', '', '[DONE]'])).status).toBe('complete')
  })

  it('turns an exception inside the mapping into a message error that keeps the answer so far', () => {
    const message = onlyMessage(decodeAll(['{"text":"Hi"}', '{"explode":true}', '{"text":"late"}']))
    expect(message.status).toBe('error')
    expect(message.error).toMatchObject({ code: 'decoder-error' })
    expect(message.error?.message).toContain(
      'The toy decoder failed on a frame (TypeError: the mapping did not expect this)',
    )
    expect(message.parts).toMatchObject([{ type: 'text', text: 'Hi' }])
  })

  it('refuses a value nested deeper than the limit with a clear error, not a RangeError', () => {
    const depth = 20_000
    const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`
    const message = onlyMessage(decodeAll(['{"text":"Hi"}', `{"input":${deep}}`]))
    expect(message.status).toBe('error')
    expect(message.error).toMatchObject({ code: 'value-too-deep' })
    expect(message.error?.message).toContain(`nested more than ${maxWireDepth} levels deep`)
    expect(message.parts).toMatchObject([{ type: 'text', text: 'Hi' }])
  })

  it('replays a whole JSON body as frames through the same mapping', () => {
    const events = replayJsonBody(createToyDecoder('m1'), [{ text: 'Whole' }, { finish: 'stop' }])
    expect(onlyMessage(events, 'm1')).toMatchObject({ status: 'complete', parts: [{ text: 'Whole' }] })
  })
})

describe('createTextBlocks', () => {
  it('numbers blocks per type by default and with one shared counter when asked', () => {
    const perType: ChatEvent[] = []
    const blocks = createTextBlocks('m')
    blocks.append(perType, 'reasoning', 'a')
    blocks.append(perType, 'text', 'b')
    blocks.append(perType, 'reasoning', 'c')
    expect(
      perType.filter((event) => event.type.endsWith('-start')).map((event) => 'id' in event && event.id),
    ).toEqual(['reasoning-0', 'text-0', 'reasoning-1'])
    const shared: ChatEvent[] = []
    const sharedBlocks = createTextBlocks('m', { numbering: 'shared', firstNumber: 1 })
    expect(sharedBlocks.nextId('text')).toBe('text-1')
    sharedBlocks.append(shared, 'reasoning', 'a')
    sharedBlocks.append(shared, 'refusal', 'no')
    sharedBlocks.close(shared)
    expect(shared).toEqual([
      { type: 'reasoning-start', messageId: 'm', id: 'reasoning-1' },
      { type: 'reasoning-delta', messageId: 'm', id: 'reasoning-1', delta: 'a' },
      { type: 'reasoning-end', messageId: 'm', id: 'reasoning-1' },
      { type: 'text-start', messageId: 'm', id: 'refusal-2', refusal: true },
      { type: 'text-delta', messageId: 'm', id: 'refusal-2', delta: 'no' },
      { type: 'text-end', messageId: 'm', id: 'refusal-2' },
    ])
  })

  it('puts a signature on the reasoning end', () => {
    const events: ChatEvent[] = []
    const blocks = createTextBlocks('m')
    blocks.append(events, 'reasoning', 'a')
    blocks.close(events, 'sig')
    expect(events.at(-1)).toEqual({
      type: 'reasoning-end',
      messageId: 'm',
      id: 'reasoning-0',
      signature: 'sig',
    })
  })
})

describe('wire values', () => {
  it('measures depth without recursion', () => {
    const depth = 100_000
    expect(wireDepthExceeds(JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`))).toBe(true)
    expect(wireDepthExceeds({ a: [{ b: 1 }] }, 3)).toBe(false)
    expect(wireDepthExceeds({ a: [{ b: 1 }] }, 2)).toBe(true)
  })

  it('stringifies what is shallow enough and refuses the rest with a WireValueError', () => {
    expect(stringifyWireValue({ city: 'Paris' }, 'toy', 'an input')).toBe('{"city":"Paris"}')
    const deep = JSON.parse(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`)
    expect(() => stringifyWireValue(deep, 'toy', 'an input')).toThrow(WireValueError)
  })

  it('names the keys that reach a prototype', () => {
    expect(['__proto__', 'constructor', 'prototype'].every(isForbiddenKey)).toBe(true)
    expect(isForbiddenKey('toString')).toBe(false)
    expect(isForbiddenKey(0)).toBe(false)
  })
})
