import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { anthropicProtocol } from '../protocols/anthropic/decode.ts'
import { openaiChatProtocol } from '../protocols/openai-chat/decode.ts'
import { readErrorResponse } from './read-error-response.ts'
import { ChatRequestError } from './transport.ts'

const contentTypes = [
  'text/html; charset=utf-8',
  'text/plain',
  'application/json',
  'application/problem+json',
  'application/octet-stream',
  undefined,
] as const

describe('readErrorResponse', () => {
  it('any body, type and status: a short message with the status, never the whole body (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 5000 }), fc.json(), fc.uint8Array({ maxLength: 5000 })),
        fc.constantFrom(...contentTypes),
        fc.integer({ min: 400, max: 599 }),
        fc.constantFrom(openaiChatProtocol, anthropicProtocol),
        async (body, type, status, protocol) => {
          const response = new Response(body, {
            status,
            headers: type === undefined ? {} : { 'content-type': type },
          })
          const error = await readErrorResponse(response, protocol)
          expect(error).toBeInstanceOf(ChatRequestError)
          expect(error.kind).toBe('http')
          expect(error.status).toBe(status)
          // A provider's own message is capped at 2,000 characters; a body the decoders do not
          // recognize is quoted briefly.
          expect(error.message.length).toBeLessThanOrEqual(2000)
          if (error.message.startsWith(`The server answered ${status}`))
            expect(error.message.length).toBeLessThan(700)
        },
      ),
      { numRuns: 200 },
    )
  })

  it("a JSON error is the provider's own message; one cut by the cap is quoted as text", async () => {
    const json = JSON.stringify({ error: { message: 'Rate limit reached', type: 'rate_limit_error' } })
    const whole = await readErrorResponse(new Response(json, { status: 429 }), openaiChatProtocol)
    expect(whole.error).toMatchObject({ message: 'Rate limit reached', status: 429 })
    const cut = await readErrorResponse(new Response(json, { status: 429 }), openaiChatProtocol, {
      maxBytes: 20,
    })
    expect(cut.message).toBe(
      'The server answered 429 with plain text (text/plain) of more than 20 B: "{"error":{"message":".',
    )
  })

  it('a provider message of 50,000 characters is cut to 2,000', async () => {
    const json = JSON.stringify({ error: { message: 'x'.repeat(50_000) } })
    const error = await readErrorResponse(new Response(json, { status: 400 }), openaiChatProtocol)
    expect(error.message).toHaveLength(2000)
    expect(error.message.endsWith('…')).toBe(true)
    expect(error.error.status).toBe(400)
  })

  it('an empty body says so', async () => {
    const error = await readErrorResponse(
      new Response(null, { status: 503, statusText: 'Service Unavailable' }),
      openaiChatProtocol,
    )
    expect(error.message).toBe('The server answered 503 Service Unavailable with an empty body.')
  })
})
