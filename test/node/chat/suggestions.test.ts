/**
 * Suggestions from the stream: a `data` part named `suggestions` on a finished answer, read as a
 * short, bounded list of strings (the data is model output: hostile shapes give none, never a
 * throw), sent by @sluice/msw over the AI SDK stream and AG-UI, read by Sluice and, for the AI
 * SDK stream, by the AI SDK's own reader from the same bytes.
 */
import {
  createChat,
  type Message,
  maxSuggestionLength,
  maxSuggestions,
  parseSuggestions,
  selectSuggestions,
  suggestionsOf,
} from '@sluice/core'
import { agentHandlers, scenario } from '@sluice/msw'
import fc from 'fast-check'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'

const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

describe('parseSuggestions', () => {
  test('strings and { text } / { label } records, trimmed, without duplicates or empties', () => {
    expect(
      parseSuggestions([
        '  Tell me more ',
        { text: 'Give an example' },
        { label: 'Why?' },
        'Tell me more',
        '',
      ]),
    ).toEqual(['Tell me more', 'Give an example', 'Why?'])
    expect(parseSuggestions({ suggestions: ['And Lyon?'] })).toEqual(['And Lyon?'])
    expect(parseSuggestions('Tell me more')).toEqual([])
    expect(parseSuggestions(null)).toEqual([])
  })

  test('at most 10, and one longer than 200 characters is dropped, not cut', () => {
    const many = Array.from({ length: 50 }, (_, index) => `Suggestion ${index}`)
    expect(parseSuggestions(many)).toEqual(many.slice(0, maxSuggestions))
    expect(parseSuggestions(['a'.repeat(maxSuggestionLength + 1), 'short'])).toEqual(['short'])
    expect(parseSuggestions(['a'.repeat(maxSuggestionLength)])).toHaveLength(1)
  })

  test('any value from the wire: never throws, at most 10 strings of at most 200 characters, prototypes untouched (property)', () => {
    const hostileKey = fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'text',
      'label',
      'suggestions',
    )
    const hostile = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.anything(),
        fc.array(tie('value'), { maxLength: 30 }),
        fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
        fc.string({ maxLength: 300 }),
      ),
    })).value
    fc.assert(
      fc.property(hostile, (data) => {
        const result = parseSuggestions(data)
        expect(result.length).toBeLessThanOrEqual(maxSuggestions)
        for (const item of result) {
          expect(typeof item).toBe('string')
          expect(item.length).toBeGreaterThan(0)
          expect(item.length).toBeLessThanOrEqual(maxSuggestionLength)
        }
        expect(new Set(result).size).toBe(result.length)
        expect(Object.keys(Object.prototype)).toEqual([])
      }),
      { seed: 20261203, numRuns: 500 },
    )
  })

  test('a JSON body with an own "__proto__" key is read as data, not as a prototype', () => {
    const data = JSON.parse('{"__proto__": ["x"], "suggestions": ["Safe"]}')
    expect(parseSuggestions(data)).toEqual(['Safe'])
    expect(({} as Record<string, unknown>).suggestions).toBeUndefined()
  })
})

describe('selectSuggestions', () => {
  const answer: Message = {
    id: 'a1',
    role: 'assistant',
    status: 'complete',
    parts: [
      { type: 'text', id: 't1', text: 'Paris.' },
      { type: 'data', name: 'suggestions', data: ['Old'] },
      { type: 'data', name: 'suggestions', data: ['Tell me more'] },
    ],
  }
  const question: Message = {
    id: 'u1',
    role: 'user',
    status: 'complete',
    parts: [{ type: 'text', id: 't0', text: 'Capital?' }],
  }

  test('the last suggestions part of the last answer when it is complete; none otherwise', () => {
    expect(suggestionsOf(answer)).toEqual(['Tell me more'])
    const state = { messageIds: ['u1', 'a1'], messages: { u1: question, a1: answer } }
    expect(selectSuggestions(state)).toEqual(['Tell me more'])
    expect(selectSuggestions(state)).toBe(selectSuggestions({ ...state }))
    expect(
      selectSuggestions({
        ...state,
        messages: { u1: question, a1: { ...answer, status: 'streaming' } },
      }),
    ).toEqual([])
    expect(
      selectSuggestions({
        ...state,
        messages: { u1: question, a1: { ...answer, status: 'cancelled' } },
      }),
    ).toEqual([])
    expect(selectSuggestions({ messageIds: ['u1'], messages: { u1: question } })).toEqual([])
    expect(selectSuggestions({ messageIds: [], messages: {} })).toEqual([])
    // An id named after a prototype member finds no message.
    expect(selectSuggestions({ messageIds: ['constructor'], messages: {} })).toEqual([])
  })
})

describe('from the stream, end to end', () => {
  const follow = ['Tell me more', 'And Lyon?']
  const answering = () => scenario().text('Paris is the capital of France.').data('suggestions', follow)

  test('AI SDK stream: the chat offers them after the answer; the AI SDK reads the same data part', async () => {
    server.use(agentHandlers['ai-sdk']('https://agent.test/api/chat', answering()))
    const chat = createChat({ api: 'https://agent.test/api/chat', protocol: 'ai-sdk' })
    expect(selectSuggestions(chat.getState())).toEqual([])
    await chat.send('Capital of France?')
    expect(selectSuggestions(chat.getState())).toEqual(follow)

    const response = await fetch('https://agent.test/api/chat', { method: 'POST', body: '{}' })
    const { parseJsonEventStream, readUIMessageStream, uiMessageChunkSchema } = await import('ai')
    const chunks = parseJsonEventStream({ stream: response.body!, schema: uiMessageChunkSchema }).pipeThrough(
      new TransformStream({
        transform(result, controller) {
          if (result.success) controller.enqueue(result.value)
        },
      }),
    )
    let last: { parts: { type: string; data?: unknown }[] } | undefined
    for await (const message of readUIMessageStream({ stream: chunks })) last = message
    expect(last?.parts).toContainEqual(expect.objectContaining({ type: 'data-suggestions', data: follow }))
  })

  test('AG-UI: a CUSTOM event named suggestions', async () => {
    server.use(agentHandlers['ag-ui']('https://agent.test/api/agent', answering()))
    const chat = createChat({ api: 'https://agent.test/api/agent', protocol: 'ag-ui' })
    await chat.send('Capital of France?')
    expect(selectSuggestions(chat.getState())).toEqual(follow)
  })

  test('a new question hides them until its answer completes with its own', async () => {
    server.use(agentHandlers['ai-sdk']('https://agent.test/api/chat', answering()))
    const chat = createChat({ api: 'https://agent.test/api/chat', protocol: 'ai-sdk' })
    await chat.send('Capital of France?')
    server.use(agentHandlers['ai-sdk']('https://agent.test/api/chat', scenario().text('Lyon is second.')))
    const sent = chat.send('And Lyon?')
    expect(selectSuggestions(chat.getState())).toEqual([])
    await sent
    expect(selectSuggestions(chat.getState())).toEqual([])
  })
})
