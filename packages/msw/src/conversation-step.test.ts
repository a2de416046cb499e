/**
 * The step a request is at, read from request bodies shaped as each provider's SDK types them.
 */
import type Anthropic from '@anthropic-ai/sdk'
import type { Content } from '@google/genai'
import type OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { conversationStep } from './conversation-step.ts'

const weatherCall: OpenAI.ChatCompletionMessageParam = {
  role: 'assistant',
  content: 'Let me check.',
  tool_calls: [
    { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
  ],
}
const weatherResult: OpenAI.ChatCompletionMessageParam = {
  role: 'tool',
  tool_call_id: 'call_1',
  content: '{"temperature":21}',
}

describe('conversationStep: OpenAI Chat Completions (and the default body)', () => {
  it('is 0 for a first question, and 0 again for a follow-up after a finished answer', () => {
    const first: OpenAI.ChatCompletionCreateParamsStreaming = {
      model: 'gpt-4o',
      stream: true,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris?' },
      ],
    }
    expect(conversationStep('messages', first)).toBe(0)
    const followUp: OpenAI.ChatCompletionCreateParamsStreaming = {
      ...first,
      messages: [
        ...first.messages,
        weatherCall,
        weatherResult,
        { role: 'assistant', content: 'It is 21 °C.' },
        { role: 'user', content: [{ type: 'text', text: 'And in Rome?' }] },
      ],
    }
    expect(conversationStep('messages', followUp)).toBe(0)
  })

  it('counts the assistant turns after the last user message', () => {
    const body: OpenAI.ChatCompletionCreateParamsStreaming = {
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: 'Weather in Paris and Rome?' }, weatherCall, weatherResult],
    }
    expect(conversationStep('messages', body)).toBe(1)
    body.messages.push(
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_2', content: '{"temperature":25}' },
    )
    expect(conversationStep('messages', body)).toBe(2)
  })

  it("reads Sluice's default body ({ messages: [{ role, content, toolCalls }] }) the same way", () => {
    const body = {
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [
            {
              toolCallId: 'call_1',
              toolName: 'get_weather',
              state: 'output-available',
              input: { city: 'Paris' },
              output: { temperature: 21 },
            },
          ],
        },
      ],
    }
    expect(conversationStep('messages', body)).toBe(1)
  })

  it('reads Ollama /api/chat bodies (tool results as role "tool")', () => {
    // Shape from the Ollama API docs: arguments are an object, results a `tool` message.
    const body = {
      model: 'llama3.2',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }],
        },
        { role: 'tool', content: '{"temperature":21}', tool_name: 'get_weather' },
      ],
    }
    expect(conversationStep('messages', body)).toBe(1)
  })

  it('is 0 for a body without a conversation', () => {
    expect(conversationStep('messages', undefined)).toBe(0)
    expect(conversationStep('messages', 'not json')).toBe(0)
    expect(conversationStep('messages', { messages: 'Hi' })).toBe(0)
  })
})

describe('conversationStep: Anthropic Messages', () => {
  const question: Anthropic.MessageParam = { role: 'user', content: 'Weather in Paris?' }
  const toolUse: Anthropic.MessageParam = {
    role: 'assistant',
    content: [
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
    ],
  }
  const toolResult: Anthropic.MessageParam = {
    role: 'user',
    content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '{"temperature":21}' }],
  }

  it('a user message of only tool_result blocks is not the user writing', () => {
    const body: Anthropic.MessageCreateParamsStreaming = {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      stream: true,
      messages: [question, toolUse, toolResult],
    }
    expect(conversationStep('messages', body)).toBe(1)
    expect(conversationStep('messages', { ...body, messages: [question] })).toBe(0)
  })

  it('a user message with text blocks is a new turn', () => {
    const body: Anthropic.MessageCreateParamsStreaming = {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      stream: true,
      messages: [
        question,
        toolUse,
        toolResult,
        { role: 'assistant', content: 'It is 21 °C.' },
        { role: 'user', content: [{ type: 'text', text: 'And in Rome?' }] },
      ],
    }
    expect(conversationStep('messages', body)).toBe(0)
  })
})

describe('conversationStep: OpenAI Responses', () => {
  const call: OpenAI.Responses.ResponseFunctionToolCall = {
    type: 'function_call',
    call_id: 'call_1',
    name: 'get_weather',
    arguments: '{"city":"Paris"}',
  }
  const output: OpenAI.Responses.ResponseInputItem.FunctionCallOutput = {
    type: 'function_call_output',
    call_id: 'call_1',
    output: '{"temperature":21}',
  }

  it('a string input is the first step', () => {
    const body: OpenAI.Responses.ResponseCreateParamsStreaming = {
      model: 'gpt-4o',
      stream: true,
      input: 'Weather in Paris?',
    }
    expect(conversationStep('responses', body)).toBe(0)
  })

  it('counts the rounds of tool outputs after the last user message', () => {
    const body: OpenAI.Responses.ResponseCreateParamsStreaming = {
      model: 'gpt-4o',
      stream: true,
      input: [{ role: 'user', content: 'Weather in Paris?' }],
    }
    expect(conversationStep('responses', body)).toBe(0)
    const input = body.input as OpenAI.Responses.ResponseInputItem[]
    input.push(call, output)
    expect(conversationStep('responses', body)).toBe(1)
    // Two parallel calls of the next step, listed before their outputs: one more step.
    input.push(
      { ...call, call_id: 'call_2' },
      { ...call, call_id: 'call_3' },
      { ...output, call_id: 'call_2' },
      { ...output, call_id: 'call_3' },
    )
    expect(conversationStep('responses', body)).toBe(2)
    input.push(
      {
        type: 'message',
        role: 'assistant',
        id: 'msg_1',
        status: 'completed',
        content: [{ type: 'output_text', text: 'It is 21 °C.', annotations: [] }],
      },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'And in Rome?' }] },
    )
    expect(conversationStep('responses', body)).toBe(0)
  })

  it('with previous_response_id (only the outputs are sent), the round still counts', () => {
    const body: OpenAI.Responses.ResponseCreateParamsStreaming = {
      model: 'gpt-4o',
      stream: true,
      previous_response_id: 'resp_1',
      input: [output],
    }
    expect(conversationStep('responses', body)).toBe(1)
  })
})

describe('conversationStep: Gemini', () => {
  const question: Content = { role: 'user', parts: [{ text: 'Weather in Paris?' }] }
  const functionCall: Content = {
    role: 'model',
    parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }],
  }
  const functionResponse: Content = {
    role: 'user',
    parts: [{ functionResponse: { name: 'get_weather', response: { temperature: 21 } } }],
  }

  it('counts model turns after the last user turn that is not only function responses', () => {
    expect(conversationStep('gemini', { contents: [question] })).toBe(0)
    expect(conversationStep('gemini', { contents: [question, functionCall, functionResponse] })).toBe(1)
    expect(
      conversationStep('gemini', {
        contents: [
          question,
          functionCall,
          functionResponse,
          { role: 'model', parts: [{ text: 'It is 21 °C.' }] },
          { role: 'user', parts: [{ text: 'And in Rome?' }] },
        ],
      }),
    ).toBe(0)
  })

  it('a turn without a role is the user writing', () => {
    expect(conversationStep('gemini', { contents: [{ parts: [{ text: 'Hi' }] }] })).toBe(0)
  })
})
