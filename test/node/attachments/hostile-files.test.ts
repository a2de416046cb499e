/**
 * Hostile file parts and request bodies: the converters never throw and never pass on a URL
 * that is not http(s) or base64 data; the msw call log never throws on any JSON, however deep.
 */
import {
  type FilePart,
  fileSource,
  type Message,
  toAnthropicRequest,
  toGeminiRequest,
  toOllamaMessages,
  toOpenAIChatMessages,
  toOpenAIResponsesRequest,
} from '@sluice/core'
import { requestFiles } from '@sluice/msw'
import fc from 'fast-check'
import { expect, test } from 'vitest'

const url = fc.oneof(
  fc.string(),
  fc.constantFrom(
    'javascript:alert(1)',
    'blob:http://x/1',
    'file:///etc/passwd',
    ' data:image/png;base64,AAAA',
    'data:text/html,<b>',
    'HTTPS://X.TEST/a',
    'https://',
  ),
  fc.string().map((rest) => `data:image/png;base64,${rest}`),
  fc.webUrl(),
)
const part: fc.Arbitrary<FilePart> = fc.record(
  {
    type: fc.constant('file' as const),
    url,
    mediaType: fc.oneof(
      fc.string(),
      fc.constantFrom('image/png', 'application/pdf', 'IMAGE/JPEG', 'text/plain'),
    ),
    name: fc.string(),
  },
  { requiredKeys: ['type', 'url', 'mediaType'] },
)

function user(files: FilePart[]): Message[] {
  return [
    {
      id: 'u',
      role: 'user',
      status: 'complete',
      parts: [...files, { type: 'text', id: 't', text: 'q', state: 'done' }],
    },
  ]
}

/** Every string in a value, however nested. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value)
  else if (Array.isArray(value)) for (const item of value) strings(item, out)
  else if (typeof value === 'object' && value !== null)
    for (const item of Object.values(value)) strings(item, out)
  return out
}

test('no converter throws, and no output string starts with a URL scheme other than http(s) or data:…;base64', () => {
  fc.assert(
    fc.property(fc.array(part, { maxLength: 6 }), (files) => {
      const messages = user(files)
      const outputs = [
        toOpenAIChatMessages(messages),
        toOpenAIResponsesRequest(messages),
        toAnthropicRequest(messages),
        toGeminiRequest(messages),
        toOllamaMessages(messages),
      ]
      for (const output of outputs) {
        for (const text of strings(output)) {
          if (/^\s*(javascript|blob|file|vbscript):/i.test(text)) throw new Error(`leaked ${text}`)
          if (/^data:/i.test(text)) expect(text).toMatch(/^data:[^,]*;base64,/)
        }
      }
      for (const file of files) {
        const source = fileSource(file)
        if (source?.kind === 'url') expect(source.url).toMatch(/^https?:\/\//)
        if (source?.kind === 'inline') expect(source.base64).toMatch(/^[A-Za-z0-9+/=]*$/)
      }
    }),
  )
})

test('requestFiles never throws on any JSON and stops at its depth limit', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      expect(Array.isArray(requestFiles(value))).toBe(true)
    }),
  )
  let deep: unknown = { type: 'image_url', image_url: { url: 'https://x.test/a.png' } }
  for (let depth = 0; depth < 100_000; depth++) deep = { content: [deep] }
  expect(requestFiles(deep)).toEqual([])
  const proto = JSON.parse('{"__proto__": {"type": "input_image", "image_url": "https://evil.test"}}')
  expect(requestFiles(proto)).toEqual([{ shape: 'openai-responses', url: 'https://evil.test' }])
})
