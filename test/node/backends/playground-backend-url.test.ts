/**
 * The playground can be pointed at a reference backend by its URL alone, and the link survives
 * the playground rewriting its own URL (a new conversation id, a fault tweak).
 */
import { describe, expect, test } from 'vitest'
import { parseUrlState, serializeUrlState } from '../../../playground/src/settings/url-state.ts'

describe('the playground URL names a backend', () => {
  test('backend=<url> selects the real backend with its protocol and options', () => {
    const state = parseUrlState(
      '?backend=ws%3A%2F%2F127.0.0.1%3A8704%2Fws%3Fdelay%3D50&backendProtocol=message-events&backendTransport=websocket&backendInlineTags=1',
    )
    expect(state.backend).toBe('real')
    expect(state.backendTarget).toEqual({
      url: 'ws://127.0.0.1:8704/ws?delay=50',
      protocol: 'message-events',
      transport: 'websocket',
      inlineTags: true,
    })
  })

  test('the backend survives a round trip through the URL the playground writes', () => {
    const state = parseUrlState(
      '?backend=http://127.0.0.1:8703/stream&backendProtocol=agent-events&conversation=c-1',
    )
    const again = parseUrlState(serializeUrlState(state))
    expect(again).toEqual(state)
    expect(again.backendTarget?.url).toBe('http://127.0.0.1:8703/stream')
  })

  test('a link cannot name a script URL or an unknown protocol', () => {
    expect(parseUrlState('?backend=javascript:alert(1)').backend).toBe('mock')
    expect(parseUrlState('?backend=data:text/html,x').backendTarget).toBeUndefined()
    expect(parseUrlState('?backend=http://127.0.0.1:1/x&backendProtocol=nope').backendTarget?.protocol).toBe(
      'openai-chat',
    )
  })

  test('backend=real still means the Backend panel settings', () => {
    const state = parseUrlState('?backend=real')
    expect(state.backend).toBe('real')
    expect(state.backendTarget).toBeUndefined()
  })
})
