import { describe, expect, it, vi } from 'vitest'
import { collectMessage } from './collect-message.ts'
import * as core from './index.ts'
import { messageText } from './message.ts'
import { protocols, resolveProtocol } from './protocols/index.ts'
import { isProtocolId, loadedProtocol, loadProtocol, protocolIds } from './resolve-protocol.ts'

vi.mock('react', () => ({}))

/** A short Anthropic Messages stream: one text block, "Hello world", ended by `end_turn`. */
function anthropicStream(): AsyncIterable<string> {
  const events: [string, object][] = [
    [
      'message_start',
      {
        type: 'message_start',
        message: {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          content: [],
          usage: { input_tokens: 3, output_tokens: 1 },
        },
      },
    ],
    [
      'content_block_start',
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    ],
    [
      'content_block_delta',
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } },
    ],
    [
      'content_block_delta',
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ' world' } },
    ],
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    [
      'message_delta',
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: 2 },
      },
    ],
    ['message_stop', { type: 'message_stop' }],
  ]
  return (async function* () {
    for (const [name, data] of events) yield `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`
  })()
}

describe('protocol ids without the registry', () => {
  it('lists exactly the registry ids, in the registry order', () => {
    expect(protocolIds).toEqual(Object.keys(protocols))
    expect(core.protocolIds).toEqual(Object.keys(core.protocols))
  })

  it('tells ids from other strings', () => {
    expect(isProtocolId('ollama')).toBe(true)
    expect(isProtocolId('openai')).toBe(false)
    expect(isProtocolId(undefined)).toBe(false)
  })

  it('exports every protocol object on its own, the same objects as the registry', () => {
    expect(core.openaiChatProtocol).toBe(protocols['openai-chat'])
    expect(core.openaiResponsesProtocol).toBe(protocols['openai-responses'])
    expect(core.anthropicProtocol).toBe(protocols.anthropic)
    expect(core.ollamaProtocol).toBe(protocols.ollama)
    expect(core.geminiProtocol).toBe(protocols.gemini)
    expect(core.aiSdkProtocol).toBe(protocols['ai-sdk'])
    expect(core.agUiProtocol).toBe(protocols['ag-ui'])
    expect(core.streamChunkProtocol).toBe(protocols['stream-chunk'])
    expect(core.streamDeltaProtocol).toBe(protocols['stream-delta'])
    expect(core.agentEventsProtocol).toBe(protocols['agent-events'])
    expect(core.messageEventsProtocol).toBe(protocols['message-events'])
    expect(core.textProtocol).toBe(protocols.text)
  })
})

describe('loadProtocol', () => {
  it('gives the registry entry for an id and the object itself for an object', async () => {
    expect(await loadProtocol('anthropic')).toBe(protocols.anthropic)
    expect(await loadProtocol(core.ollamaProtocol)).toBe(core.ollamaProtocol)
    expect(loadedProtocol(core.textProtocol)).toBe(core.textProtocol)
  })

  it('rejects an unknown id with every valid id, before loading anything', async () => {
    await expect(loadProtocol('openai' as never)).rejects.toThrow(
      /Unknown protocol "openai"\. Pass one of "openai-chat", "openai-responses", .*"text", or a Protocol object\./,
    )
    expect(() => loadedProtocol('openai' as never, 'createChat')).toThrow(
      /^createChat: unknown protocol "openai"/,
    )
  })

  it('loads the registry on first use only, then answers synchronously', async () => {
    vi.resetModules()
    const fresh = await import('./resolve-protocol.ts')
    expect(fresh.loadedProtocol('gemini')).toBeUndefined()
    const loaded = await fresh.loadProtocol('gemini')
    expect(loaded.id).toBe('gemini')
    expect(fresh.loadedProtocol('gemini')).toBe(loaded)
  })

  it('keeps the synchronous resolveProtocol of the registry, with the same error', () => {
    expect(resolveProtocol('ollama')).toBe(protocols.ollama)
    expect(() => resolveProtocol('nope' as never)).toThrow(/Unknown protocol "nope"/)
  })
})

describe('a protocol object or its id read the same stream', () => {
  it('collects the same message from anthropicProtocol and from "anthropic"', async () => {
    const byObject = await collectMessage(anthropicStream(), core.anthropicProtocol)
    const byId = await collectMessage(anthropicStream(), 'anthropic')
    expect(messageText(byObject)).toBe('Hello world')
    expect(byObject.status).toBe('complete')
    expect(byObject.finishReason).toBe('stop')
    expect(byId).toEqual(byObject)
  })

  it('streams events from readChatEvents with a protocol object', async () => {
    const deltas: string[] = []
    for await (const event of core.readChatEvents(anthropicStream(), core.anthropicProtocol)) {
      if (event.type === 'text-delta') deltas.push(event.delta)
    }
    expect(deltas).toEqual(['Hello', ' world'])
  })
})
