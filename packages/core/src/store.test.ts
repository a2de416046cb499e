import { describe, expect, test, vi } from 'vitest'
import type { Message } from './message.ts'
import { createChatStore, createMessagesSelector, selectMessage } from './store.ts'

vi.mock('react', () => ({}))

const user: Message = {
  id: 'u1',
  role: 'user',
  status: 'complete',
  parts: [{ type: 'text', id: 't', text: 'Hi' }],
}

describe('createChatStore', () => {
  test('starts from saved messages, normalized', () => {
    const store = createChatStore({ messages: [user] })
    expect(store.getState().messageIds).toEqual(['u1'])
    expect(store.getState().messages.u1).toBe(user)
    expect(store.getState().status).toBe('idle')
  })

  test('apply folds a batch and notifies once; other messages keep their identity', () => {
    const store = createChatStore({ messages: [user] })
    const listener = vi.fn()
    store.subscribe(listener)
    store.getState().apply([
      { type: 'message-start', messageId: 'a1' },
      { type: 'text-delta', messageId: 'a1', id: 't', delta: 'Hel' },
      { type: 'text-delta', messageId: 'a1', id: 't', delta: 'lo' },
    ])
    expect(listener).toHaveBeenCalledTimes(1)
    expect(selectMessage('a1')(store.getState())?.parts).toEqual([
      { type: 'text', id: 't', text: 'Hello', state: 'streaming' },
    ])
    expect(store.getState().messages.u1).toBe(user)
  })

  test('apply of events that change nothing does not notify', () => {
    const store = createChatStore({ messages: [user] })
    const listener = vi.fn()
    store.subscribe(listener)
    store.getState().apply([])
    store.getState().apply([{ type: 'message-abort', messageId: 'missing' }])
    expect(listener).not.toHaveBeenCalled()
  })

  test('status with and without an error', () => {
    const store = createChatStore()
    const error = new Error('HTTP 500')
    store.getState().setStatus('error', error)
    expect(store.getState()).toMatchObject({ status: 'error', error })
    store.getState().setStatus('idle')
    expect(store.getState().status).toBe('idle')
    expect('error' in store.getState()).toBe(false)
    expect(typeof store.getState().apply).toBe('function')
  })

  test('removeMessagesAfter keeps the prefix (regenerate)', () => {
    const store = createChatStore({
      messages: [user, { ...user, id: 'a1', role: 'assistant' }, { ...user, id: 'u2' }],
    })
    store.getState().removeMessagesAfter('u1')
    expect(store.getState().messageIds).toEqual(['u1'])
    expect(Object.keys(store.getState().messages)).toEqual(['u1'])
  })

  test('updateMessage and upsertMessage', () => {
    const store = createChatStore({ messages: [user] })
    store.getState().updateMessage('u1', (message) => ({ ...message, metrics: { chunks: 3 } }))
    expect(store.getState().messages.u1?.metrics).toEqual({ chunks: 3 })
    store.getState().upsertMessage({ ...user, id: 'x' })
    expect(store.getState().messageIds).toEqual(['u1', 'x'])
  })

  test('the messages selector is stable until something changes', () => {
    const store = createChatStore({ messages: [user] })
    const select = createMessagesSelector()
    const first = select(store.getState())
    expect(select(store.getState())).toBe(first)
    store.getState().apply([{ type: 'message-start', messageId: 'a1' }])
    const second = select(store.getState())
    expect(second).not.toBe(first)
    expect(second.map((message) => message.id)).toEqual(['u1', 'a1'])
  })
})

describe('message ids named after Object.prototype members', () => {
  const prototypeNames = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']
  const named = (id: string): Message => ({ ...user, id, parts: [{ type: 'text', id: 't', text: id }] })

  test('saved history with such ids loads, selects and updates like any other', () => {
    const store = createChatStore({ messages: prototypeNames.map(named) })
    expect(store.getState().messageIds).toEqual(prototypeNames)
    for (const id of prototypeNames) expect(selectMessage(id)(store.getState())?.id).toBe(id)
    store.getState().updateMessage('__proto__', (message) => ({ ...message, status: 'error' }))
    expect(selectMessage('__proto__')(store.getState())?.status).toBe('error')
    expect(createMessagesSelector()(store.getState()).map((message) => message.id)).toEqual(prototypeNames)
  })

  test('an unknown id named after a prototype member is not found, upserted as new, and removable', () => {
    const store = createChatStore({ messages: [user] })
    expect(selectMessage('constructor')(store.getState())).toBeUndefined()
    store.getState().removeMessage('toString')
    expect(store.getState().messageIds).toEqual(['u1'])
    store.getState().updateMessage('valueOf', () => named('valueOf'))
    expect(store.getState().messageIds).toEqual(['u1'])
    store.getState().upsertMessage(named('hasOwnProperty'))
    expect(store.getState().messageIds).toEqual(['u1', 'hasOwnProperty'])
    store.getState().apply([{ type: 'message-start', messageId: '__proto__' }])
    expect(store.getState().messageIds).toEqual(['u1', 'hasOwnProperty', '__proto__'])
    store.getState().removeMessagesAfter('u1')
    expect(store.getState().messageIds).toEqual(['u1'])
    store.getState().removeMessage('u1')
    expect(store.getState().messageIds).toEqual([])
    expect(Object.keys(Object.prototype)).toEqual([])
  })
})
