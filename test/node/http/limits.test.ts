/**
 * Byte caps and content types over real local HTTP (node:http on 127.0.0.1): a 200 MB error
 * body and a 200 MB JSON answer are generated as streams and never read whole; HTML where the
 * API should be, and a stream in the other framing, say so.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createChat } from '../../../packages/core/src/chat/create-chat.ts'
import { lastMessage, messageText } from '../chat/helpers.ts'
import { fillerChunk, openaiDone, openaiFrame, startTestServer, type TestServer } from './http-server.ts'

vi.mock('react', () => ({}))

const twoHundredMegabytes = 200 * 1024 * 1024
let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** Write `total` bytes of `prefix` + filler, stopping when the client hangs up. */
async function writeHuge(
  write: (chunk: string | Uint8Array) => Promise<boolean>,
  prefix: string,
  total: number,
) {
  let sent = 0
  if (!(await write(prefix))) return
  sent += prefix.length
  while (sent < total) {
    if (!(await write(fillerChunk))) return
    sent += fillerChunk.byteLength
  }
}

const spaPage =
  '<!doctype html><html><head><title>Acme Chat</title><script>window.__BOOT__={"a":1}</script></head><body><div id="root"></div></body></html>'

async function ask(api: string, options: Partial<Parameters<typeof createChat>[0]> = {}) {
  const chat = createChat({ api, protocol: 'openai-chat', retry: false, ...options })
  await chat.send('Hello')
  return lastMessage(chat.getState())
}

describe('error bodies are read with a cap', () => {
  it('a 500 with a 200 MB HTML body: the status, type and title are shown, the body is never read whole', async () => {
    server = await startTestServer(async ({ response, write }) => {
      response.writeHead(500, { 'content-type': 'text/html; charset=utf-8' })
      await writeHuge(
        write,
        `<html><head><title>Internal Server Error</title></head><body>`,
        twoHundredMegabytes,
      )
      response.end()
    })
    const answer = await ask(`${server.origin}/api/chat`)
    expect(answer.status).toBe('error')
    expect(answer.error?.status).toBe(500)
    expect(answer.error?.message).toContain('500 Internal Server Error')
    expect(answer.error?.message).toContain('HTML page (text/html)')
    expect(answer.error?.message).toContain('"Internal Server Error"')
    expect(answer.error!.message.length).toBeLessThan(600)
    await server.clientClosed
    // The client hung up after its cap: the server could not push the 200 MB (socket buffers aside).
    expect(server.bytesWritten).toBeLessThan(64 * 1024 * 1024)
  })

  it('a small 500 HTML page shows the title, not the markup or its scripts', async () => {
    server = await startTestServer(({ response }) => {
      response.writeHead(502, 'Bad Gateway', { 'content-type': 'text/html' })
      response.end(
        '<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>',
      )
    })
    const answer = await ask(`${server.origin}/api/chat`)
    expect(answer.status).toBe('error')
    expect(answer.error?.status).toBe(502)
    expect(answer.error?.message).toBe(
      'The server answered 502 Bad Gateway with an HTML page (text/html): "502 Bad Gateway". An HTML error page usually comes from a proxy or the web server in front of the API, not from the API itself.',
    )
  })

  it('a plain-text 503 is quoted briefly with its type', async () => {
    server = await startTestServer(({ response }) => {
      response.writeHead(503, 'Service Unavailable', { 'content-type': 'text/plain' })
      response.end(`upstream connect error or disconnect/reset before headers. ${'detail '.repeat(200)}`)
    })
    const answer = await ask(`${server.origin}/api/chat`)
    expect(answer.error?.status).toBe(503)
    expect(answer.error?.message).toMatch(
      /^The server answered 503 Service Unavailable with plain text \(text\/plain\): "upstream connect error or disconnect\/reset before headers\. detail .*…"\.$/,
    )
    expect(answer.error!.message.length).toBeLessThan(300)
  })

  it("a JSON error still shows the provider's own message and the status", async () => {
    server = await startTestServer(({ response }) => {
      response.writeHead(401, { 'content-type': 'application/json' })
      response.end(
        JSON.stringify({ error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } }),
      )
    })
    const answer = await ask(`${server.origin}/api/chat`)
    expect(answer.error).toMatchObject({
      message: 'Incorrect API key provided',
      status: 401,
      code: 'invalid_api_key',
    })
  })
})

describe('JSON answers are read with a cap (maxBodyBytes)', () => {
  it('a 200 application/json answer declaring 200 MB is refused before a byte is read', async () => {
    server = await startTestServer(async ({ response, write }) => {
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(twoHundredMegabytes),
      })
      await writeHuge(write, '{"choices":[{"message":{"content":"', twoHundredMegabytes)
      response.end()
    })
    const answer = await ask(`${server.origin}/api/chat`)
    expect(answer.status).toBe('error')
    expect(answer.error?.code).toBe('body-too-large')
    expect(answer.error?.status).toBe(200)
    expect(answer.error?.message).toContain('is 200 MiB, over the 16 MiB cap (maxBodyBytes)')
    await server.clientClosed
    expect(server.bytesWritten).toBeLessThan(64 * 1024 * 1024)
  })

  it('a chunked 200 MB JSON answer (no length) is cancelled at the cap', async () => {
    server = await startTestServer(async ({ response, write }) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      await writeHuge(write, '{"choices":[{"message":{"content":"', twoHundredMegabytes)
      response.end()
    })
    const answer = await ask(`${server.origin}/api/chat`)
    expect(answer.error?.code).toBe('body-too-large')
    expect(answer.error?.message).toContain('is more than 16 MiB, over the 16 MiB cap (maxBodyBytes)')
    await server.clientClosed
    expect(server.bytesWritten).toBeLessThan(80 * 1024 * 1024)
  })

  it('maxBodyBytes is configurable from createChat, and an answer under it is read', async () => {
    const completion = JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'Small answer.' }, finish_reason: 'stop' },
      ],
    })
    server = await startTestServer(({ response }) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(completion)
    })
    const refused = await ask(`${server.origin}/api/chat`, { maxBodyBytes: 64 })
    expect(refused.error?.code).toBe('body-too-large')
    expect(refused.error?.message).toContain('over the 64 B cap (maxBodyBytes)')
    const read = await ask(`${server.origin}/api/chat`, { maxBodyBytes: completion.length })
    expect(read.status).toBe('complete')
    expect(messageText(read)).toBe('Small answer.')
  })
})

describe('a content type that does not match the framing says so', () => {
  it('200 text/html (an SPA fallback where the API should be) names the protocol, what came and what to do', async () => {
    server = await startTestServer(({ response }) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      response.end(spaPage)
    })
    const answer = await ask(`${server.origin}/chat`)
    expect(answer.status).toBe('error')
    expect(answer.error?.status).toBe(200)
    expect(answer.error?.code).toBe('unexpected-content-type')
    expect(answer.error?.message).toBe(
      `Protocol "openai-chat" expected an SSE stream (text/event-stream) from ${server.origin}/chat, but received an HTML page (text/html) ("Acme Chat"). The URL probably points at the web app (a page or its SPA fallback), not the API: check the \`api\` option and that the server routes it to the chat endpoint.`,
    )
    expect(answer.error?.message).not.toContain('__BOOT__')
  })

  it('an NDJSON stream for an SSE protocol says which framing to set; with framing set it is read', async () => {
    const lines = [
      '{"message":{"role":"assistant","content":"Hi "},"done":false}',
      '{"message":{"role":"assistant","content":"there."},"done":true,"done_reason":"stop"}',
    ]
    server = await startTestServer(({ response }) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' })
      response.end(`${lines.join('\n')}\n`)
    })
    const chat = createChat({ api: `${server.origin}/api/chat`, protocol: 'agent-events', retry: false })
    await chat.send('Hello')
    const refused = lastMessage(chat.getState())
    expect(refused.status).toBe('error')
    expect(refused.error?.message).toContain(
      'Protocol "agent-events" expected an SSE stream (text/event-stream)',
    )
    expect(refused.error?.message).toContain(
      "received an NDJSON stream (application/x-ndjson). The server sends the answer in another framing: if it really sends agent-events in it, set framing: 'ndjson'",
    )

    const ollama = await ask(`${server.origin}/api/chat`, { protocol: 'ollama' })
    expect(ollama.status).toBe('complete')
    expect(messageText(ollama)).toBe('Hi there.')
  })

  it('SSE labelled text/plain or with no type (servers that mislabel) is still read as SSE', async () => {
    for (const headers of [{ 'content-type': 'text/plain; charset=utf-8' }, {}]) {
      server = await startTestServer(({ response }) => {
        response.writeHead(200, headers)
        response.end(openaiFrame('Still ') + openaiFrame('streamed.') + openaiDone)
      })
      const answer = await ask(`${server.origin}/api/chat`)
      expect(answer.status).toBe('complete')
      expect(messageText(answer)).toBe('Still streamed.')
      await server.close()
      server = undefined
    }
  })
})
