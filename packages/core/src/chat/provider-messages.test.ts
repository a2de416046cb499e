import { describe, expect, it } from 'vitest'
import type { Message, MessagePart } from '../message.ts'
import { toAnthropicRequest, toOpenAIChatMessages } from './provider-messages.ts'

function message(
  role: Message['role'],
  parts: MessagePart[],
  status: Message['status'] = 'complete',
): Message {
  return { id: `${role}-${parts.length}`, role, status, parts }
}
const text = (value: string): MessagePart => ({ type: 'text', id: value, text: value, state: 'done' })

/** An agent turn with two steps, a cancelled call, and a call the provider ran itself. */
const conversation: Message[] = [
  message('system', [text('Be brief.')]),
  message('user', [text('Plan my day in Paris.')]),
  message('assistant', [
    text('Checking the weather.'),
    {
      type: 'tool-call',
      toolCallId: 'call_1',
      toolName: 'weather',
      state: 'output-available',
      inputText: '{"city":"Paris"}',
      input: { city: 'Paris' },
      output: { celsius: 21 },
    },
    {
      type: 'tool-call',
      toolCallId: 'search_1',
      toolName: 'web_search',
      state: 'output-available',
      inputText: '{}',
      providerExecuted: true,
      output: 'results',
    },
    { type: 'step-start' },
    text('Now the museums.'),
    {
      type: 'tool-call',
      toolCallId: 'call_2',
      toolName: 'museums',
      state: 'output-error',
      inputText: '',
      input: { city: 'Paris' },
      errorText: 'Service down',
    },
    { type: 'tool-call', toolCallId: 'call_3', toolName: 'tickets', state: 'cancelled', inputText: '{"a' },
  ]),
  message('assistant', [text('half an answer')], 'error'),
]

describe('toOpenAIChatMessages', () => {
  it('splits an answer into its steps, each tool call followed by its result', () => {
    expect(toOpenAIChatMessages(conversation)).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Plan my day in Paris.' },
      {
        role: 'assistant',
        content: 'Checking the weather.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"celsius":21}' },
      {
        role: 'assistant',
        content: 'Now the museums.',
        // No streamed text: the parsed input, as JSON.
        tool_calls: [
          { id: 'call_2', type: 'function', function: { name: 'museums', arguments: '{"city":"Paris"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_2', content: 'Service down' },
    ])
  })
})

describe('toAnthropicRequest', () => {
  it('takes system apart and answers tool_use blocks with tool_result blocks', () => {
    expect(toAnthropicRequest(conversation)).toEqual({
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Plan my day in Paris.' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking the weather.' },
            { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '{"celsius":21}' }],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Now the museums.' },
            { type: 'tool_use', id: 'call_2', name: 'museums', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'call_2', content: 'Service down', is_error: true }],
        },
      ],
    })
  })

  it('leaves system out when there is none', () => {
    expect(toAnthropicRequest([message('user', [text('Hi')])])).toEqual({
      messages: [{ role: 'user', content: 'Hi' }],
    })
  })
})
