/**
 * Loopback servers for the relay tests: a provider that speaks the real OpenAI Chat
 * Completions SSE wire token by token (and records when its client hung up), relay instances
 * on `node:http`, and an SSE reader that can hang up mid-stream.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ChatEvent } from '@sluice/core'
import { openaiChatCodec, serializeFrame } from '@sluice/core/encoders'
import { createParser } from 'eventsource-parser'
import { toNodeListener } from '../../../packages/server/src/node-listener.ts'

export interface ProviderCall {
  body: Record<string, unknown>
  headers: Record<string, string | string[] | undefined>
  /** Tokens written before the client went away or the answer ended. */
  tokensSent: number
  /** The relay closed the connection before the answer ended (a stop). */
  closedEarly: boolean
  closedAt?: number
  completed: boolean
}

export interface ProviderServer {
  readonly url: string
  readonly calls: ProviderCall[]
  close(): Promise<void>
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))
  })
}

function shut(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}

/**
 * An OpenAI-compatible provider at `<url>/v1`: `POST /v1/chat/completions` streams `tokens`,
 * one SSE chunk every `interval` ms, with the bytes the real API sends (Sluice's encoder).
 */
export async function startProviderServer(options: {
  tokens: readonly string[]
  interval: number
}): Promise<ProviderServer> {
  const calls: ProviderCall[] = []
  const server = createServer((request, response) => {
    let raw = ''
    request.on('data', (chunk: Buffer) => {
      raw += chunk.toString()
    })
    request.on('end', () => {
      const call: ProviderCall = {
        body: JSON.parse(raw) as Record<string, unknown>,
        headers: request.headers,
        tokensSent: 0,
        closedEarly: false,
        completed: false,
      }
      calls.push(call)
      const encoder = openaiChatCodec.createEncoder({
        model: 'gpt-4o-mini',
        created: 1_700_000_000,
        responseId: 'chatcmpl-relay',
      })
      const write = (event: ChatEvent) => {
        for (const frame of encoder.encode(event)) response.write(serializeFrame(frame, 'sse'))
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      write({ type: 'message-start', messageId: 'upstream' })
      write({ type: 'text-start', messageId: 'upstream', id: 't' })
      const timer = setInterval(() => {
        const token = options.tokens[call.tokensSent]
        if (token === undefined) {
          clearInterval(timer)
          write({ type: 'text-end', messageId: 'upstream', id: 't' })
          write({
            type: 'message-end',
            messageId: 'upstream',
            finishReason: 'stop',
            usage: { inputTokens: 3, outputTokens: call.tokensSent },
          })
          for (const frame of encoder.end()) response.write(serializeFrame(frame, 'sse'))
          call.completed = true
          response.end()
          return
        }
        call.tokensSent++
        write({ type: 'text-delta', messageId: 'upstream', id: 't', delta: token })
      }, options.interval)
      response.on('close', () => {
        clearInterval(timer)
        if (!call.completed) {
          call.closedEarly = true
          call.closedAt = Date.now()
        }
      })
    })
  })
  const url = await listen(server)
  return { url: `${url}/v1`, calls, close: () => shut(server) }
}

export interface RelayServer {
  readonly url: string
  close(): Promise<void>
}

/** A relay instance: the handler on `node:http`, on a free loopback port. */
export async function startRelay(handler: (request: Request) => Promise<Response>): Promise<RelayServer> {
  const server = createServer(toNodeListener(handler))
  const url = await listen(server)
  return { url: `${url}/api/chat`, close: () => shut(server) }
}

export interface SseEvent {
  id?: string
  event?: string
  data: string
}

/**
 * Read SSE events from a response; with `hangUpAfter`, the connection is cut (the body
 * cancelled, the socket closed) right after that many events, as a reload would.
 */
export async function readSse(
  response: Response,
  options: { hangUpAfter?: number } = {},
): Promise<SseEvent[]> {
  const events: SseEvent[] = []
  const parser = createParser({
    onEvent(event) {
      const parsed: SseEvent = { data: event.data }
      if (event.id !== undefined) parsed.id = event.id
      if (event.event !== undefined) parsed.event = event.event
      events.push(parsed)
    },
  })
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  while (true) {
    const { done, value } = await reader.read()
    if (done) break
    parser.feed(decoder.decode(value, { stream: true }))
    if (options.hangUpAfter !== undefined && events.length >= options.hangUpAfter) {
      await reader.cancel()
      return events.slice(0, options.hangUpAfter)
    }
  }
  return events
}

/** The SSE events back as the bytes a reader got, for feeding a decoder. */
export function sseText(events: readonly SseEvent[]): string {
  return events.map((event) => serializeFrame({ ...event }, 'sse')).join('')
}

/** POST a conversation to the relay. */
export function postChat(
  url: string,
  body: Record<string, unknown>,
  init: RequestInit = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...init,
  })
}
