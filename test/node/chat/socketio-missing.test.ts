/**
 * `transport: 'socketio'` without the optional peer dependency: the answer fails with an error
 * that says which package to install and how to pass it, and nothing is lost.
 */
import { describe, expect, it, vi } from 'vitest'
import { createChat } from '../../../packages/core/src/chat/create-chat.ts'
import { messagesOf } from './helpers.ts'

vi.mock('react', () => ({}))
vi.mock('socket.io-client', () => {
  throw new Error("Cannot find package 'socket.io-client' imported from @sluice/core")
})

describe('socketio transport without socket.io-client', () => {
  it('fails the answer with a message naming the package and the `io` option', async () => {
    const chat = createChat({
      api: 'http://127.0.0.1:9',
      protocol: 'message-events',
      transport: 'socketio',
      retry: false,
    })
    await chat.send('Hello')
    const [user, answer] = messagesOf(chat.getState())
    expect(user?.status).toBe('complete')
    expect(answer?.status).toBe('error')
    expect(answer?.error?.code).toBe('socket-io-client-missing')
    expect(answer?.error?.message).toMatch(/"socket\.io-client" package/)
    expect(answer?.error?.message).toMatch(/npm install socket\.io-client/)
    expect(answer?.error?.message).toMatch(/socketio: \{ io \}/)
    expect(chat.getState().status).toBe('error')
    chat.dispose()
  })
})
