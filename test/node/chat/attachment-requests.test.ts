/**
 * Attached files in every provider's request shape. The assignments to the official SDKs'
 * request types are checked by `tsc -p tsconfig.json` (this file is in its `include`); the
 * runtime assertions pin the exact shapes, and the AI SDK's own `convertToModelMessages` reads
 * the `UIMessage`s as it reads `useChat`'s.
 */
import type Anthropic from '@anthropic-ai/sdk'
import type { Content, GenerateContentParameters } from '@google/genai'
import {
  createChat,
  defaultRequestBody,
  type FilePart,
  type Message,
  toAISDKMessages,
  toAnthropicRequest,
  toGeminiRequest,
  toOllamaMessages,
  toOpenAIChatMessages,
  toOpenAIResponsesRequest,
} from '@sluice/core'
import { convertToModelMessages, type UIMessage } from 'ai'
import type { ChatRequest as OllamaChatRequest } from 'ollama'
import type OpenAI from 'openai'
import { describe, expect, test } from 'vitest'

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='
const PDF = 'JVBERi0xLjQKJcfsj6IK'
const inlineImage: FilePart = {
  type: 'file',
  url: `data:image/png;base64,${PNG}`,
  mediaType: 'image/png',
  name: 'dot.png',
  size: 68,
}
const inlinePdf: FilePart = {
  type: 'file',
  url: `data:application/pdf;base64,${PDF}`,
  mediaType: 'application/pdf',
  name: 'report.pdf',
  size: 15,
}
const remoteImage: FilePart = {
  type: 'file',
  url: 'https://files.example.com/cat.png',
  mediaType: 'image/png',
  name: 'cat.png',
}
const remotePdf: FilePart = {
  type: 'file',
  url: 'https://files.example.com/spec.pdf',
  mediaType: 'application/pdf',
  name: 'spec.pdf',
}

function conversation(files: FilePart[]): Message[] {
  return [
    {
      id: 's',
      role: 'system',
      status: 'complete',
      parts: [{ type: 'text', id: 't', text: 'Be brief.', state: 'done' }],
    },
    {
      id: 'u',
      role: 'user',
      status: 'complete',
      parts: [...files, { type: 'text', id: 't', text: 'What is this?', state: 'done' }],
    },
  ]
}

describe('type-level: converter output is the official SDK request param', () => {
  test('each assignment compiles (tsc) and keeps the files', async () => {
    const messages = conversation([inlineImage, inlinePdf, remoteImage, remotePdf])
    const openaiChat: OpenAI.Chat.ChatCompletionMessageParam[] = toOpenAIChatMessages(messages)
    const responses = toOpenAIResponsesRequest(messages)
    const responsesParams: OpenAI.Responses.ResponseCreateParamsStreaming = {
      model: 'gpt-4.1',
      stream: true,
      ...responses,
    }
    const anthropic: Anthropic.MessageCreateParamsStreaming = {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      stream: true,
      ...toAnthropicRequest(messages),
    }
    const geminiContents: Content[] = toGeminiRequest(messages).contents
    const gemini: GenerateContentParameters = { model: 'gemini-2.5-flash', contents: geminiContents }
    const ollama: OllamaChatRequest = { model: 'llava', messages: toOllamaMessages(messages) }
    const uiMessages: UIMessage[] = toAISDKMessages(messages)
    expect(openaiChat).toHaveLength(2)
    expect(responsesParams.input).toHaveLength(1)
    expect(anthropic.messages).toHaveLength(1)
    expect(gemini.contents).toHaveLength(1)
    expect(ollama.messages).toHaveLength(2)
    // The AI SDK itself reads the UI messages: files become its model `file` parts.
    const model = await convertToModelMessages(uiMessages)
    const user = model.find((message) => message.role === 'user')
    expect(user?.content).toEqual(
      [
        { type: 'file', mediaType: 'image/png', filename: 'dot.png', data: `data:image/png;base64,${PNG}` },
        {
          type: 'file',
          mediaType: 'application/pdf',
          filename: 'report.pdf',
          data: `data:application/pdf;base64,${PDF}`,
        },
        {
          type: 'file',
          mediaType: 'image/png',
          filename: 'cat.png',
          data: 'https://files.example.com/cat.png',
        },
        {
          type: 'file',
          mediaType: 'application/pdf',
          filename: 'spec.pdf',
          data: 'https://files.example.com/spec.pdf',
        },
        { type: 'text', text: 'What is this?' },
      ].map((part) => expect.objectContaining(part)),
    )
  })
})

describe('exact shapes', () => {
  const messages = conversation([inlineImage, inlinePdf, remoteImage, remotePdf])

  test('OpenAI Chat: image_url for images (URL or data URL), file with file_data for inline files, a text line for a remote PDF', () => {
    expect(toOpenAIChatMessages(messages)[1]).toEqual({
      role: 'user',
      content: [
        { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
        { type: 'file', file: { file_data: `data:application/pdf;base64,${PDF}`, filename: 'report.pdf' } },
        { type: 'image_url', image_url: { url: 'https://files.example.com/cat.png' } },
        {
          type: 'text',
          text: '[Attached file: spec.pdf (application/pdf) https://files.example.com/spec.pdf]',
        },
        { type: 'text', text: 'What is this?' },
      ],
    })
  })

  test('OpenAI Responses: input_image and input_file (data or URL), then input_text', () => {
    expect(toOpenAIResponsesRequest(messages)).toEqual({
      instructions: 'Be brief.',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_image', image_url: `data:image/png;base64,${PNG}`, detail: 'auto' },
            { type: 'input_file', file_data: `data:application/pdf;base64,${PDF}`, filename: 'report.pdf' },
            { type: 'input_image', image_url: 'https://files.example.com/cat.png', detail: 'auto' },
            { type: 'input_file', file_url: 'https://files.example.com/spec.pdf', filename: 'spec.pdf' },
            { type: 'input_text', text: 'What is this?' },
          ],
        },
      ],
    })
  })

  test('Anthropic: image and document blocks (base64 or url) before the text; inline text files as text documents', () => {
    const text: FilePart = {
      type: 'file',
      url: 'data:text/plain;base64,aMOpbGxv',
      mediaType: 'text/plain',
      name: 'a.txt',
    }
    expect(toAnthropicRequest(conversation([inlineImage, inlinePdf, remoteImage, remotePdf, text]))).toEqual({
      system: 'Be brief.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
            {
              type: 'document',
              source: { type: 'base64', media_type: 'application/pdf', data: PDF },
              title: 'report.pdf',
            },
            { type: 'image', source: { type: 'url', url: 'https://files.example.com/cat.png' } },
            {
              type: 'document',
              source: { type: 'url', url: 'https://files.example.com/spec.pdf' },
              title: 'spec.pdf',
            },
            {
              type: 'document',
              source: { type: 'text', media_type: 'text/plain', data: 'héllo' },
              title: 'a.txt',
            },
            { type: 'text', text: 'What is this?' },
          ],
        },
      ],
    })
  })

  test('Gemini: inlineData (base64) and fileData (URI)', () => {
    expect(toGeminiRequest(messages).contents).toEqual([
      {
        role: 'user',
        parts: [
          { inlineData: { mimeType: 'image/png', data: PNG } },
          { inlineData: { mimeType: 'application/pdf', data: PDF } },
          { fileData: { mimeType: 'image/png', fileUri: 'https://files.example.com/cat.png' } },
          { fileData: { mimeType: 'application/pdf', fileUri: 'https://files.example.com/spec.pdf' } },
          { text: 'What is this?' },
        ],
      },
    ])
  })

  test('Ollama: inline images as base64 without the data: prefix; other files named in the text', () => {
    expect(toOllamaMessages(messages)[1]).toEqual({
      role: 'user',
      content: [
        '[Attached file: report.pdf (application/pdf)]',
        '[Attached file: cat.png (image/png) https://files.example.com/cat.png]',
        '[Attached file: spec.pdf (application/pdf) https://files.example.com/spec.pdf]',
        'What is this?',
      ].join('\n'),
      images: [PNG],
    })
  })

  test('a URL that is neither data: nor http(s) is never sent as content, only named', () => {
    const blob: FilePart = {
      type: 'file',
      url: 'blob:http://localhost/abc',
      mediaType: 'image/png',
      name: 'x.png',
    }
    const js: FilePart = {
      type: 'file',
      url: 'javascript:alert(1)',
      mediaType: 'application/pdf',
      name: 'y.pdf',
    }
    const chat = toOpenAIChatMessages(conversation([blob, js]))[1]
    expect(JSON.stringify(chat)).not.toContain('blob:')
    expect(JSON.stringify(chat)).not.toContain('javascript:')
    expect(JSON.stringify(toAnthropicRequest(conversation([blob, js])))).not.toMatch(/blob:|javascript:/)
    expect(JSON.stringify(toGeminiRequest(conversation([blob, js])))).not.toMatch(/blob:|javascript:/)
  })

  test('messages without files keep the plain string content', () => {
    expect(toOpenAIChatMessages(conversation([]))[1]).toEqual({ role: 'user', content: 'What is this?' })
    expect(toAnthropicRequest(conversation([])).messages[0]).toEqual({
      role: 'user',
      content: 'What is this?',
    })
    expect(toOllamaMessages(conversation([]))[1]).toEqual({ role: 'user', content: 'What is this?' })
  })
})

describe('createChat: send(text, { files })', () => {
  test('the user message carries file parts before its text; the default body carries them as files', async () => {
    const bodies: unknown[] = []
    const chat = createChat({
      api: 'https://chat.test/api',
      protocol: 'text',
      fetch: async (_input, init) => {
        bodies.push(JSON.parse(String(init?.body)))
        return new Response('Looks like a dot.', { headers: { 'content-type': 'text/plain' } })
      },
    })
    await chat.send('What is this?', { files: [inlineImage, remotePdf] })
    const user = chat.store.getState().messages[chat.store.getState().messageIds[0]!]!
    expect(user.parts).toEqual([
      inlineImage,
      remotePdf,
      { type: 'text', id: 'text', text: 'What is this?', state: 'done' },
    ])
    expect(bodies[0]).toEqual({
      messages: [
        {
          role: 'user',
          content: 'What is this?',
          files: [
            { url: inlineImage.url, mediaType: 'image/png', name: 'dot.png', size: 68 },
            { url: remotePdf.url, mediaType: 'application/pdf', name: 'spec.pdf' },
          ],
        },
      ],
    })
  })

  test('files alone (empty text) send a message with no text part', async () => {
    const chat = createChat({
      api: 'https://chat.test/api',
      protocol: 'text',
      fetch: async () => new Response('ok', { headers: { 'content-type': 'text/plain' } }),
    })
    await chat.send('', { files: [remoteImage] })
    const user = chat.store.getState().messages[chat.store.getState().messageIds[0]!]!
    expect(user.parts).toEqual([remoteImage])
    expect(defaultRequestBody([user]).messages[0]).toEqual({
      role: 'user',
      content: '',
      files: [{ url: remoteImage.url, mediaType: 'image/png', name: 'cat.png' }],
    })
  })
})
