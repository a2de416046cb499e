/**
 * Reading the reference backends the way a plain client would, without any Sluice code: the
 * server tests check the servers against the seed documents, independently of our decoders.
 */
import { createParser } from 'eventsource-parser'
import WebSocket from 'ws'
import type { Observation } from '../../../backends/shared/observation-log.ts'

/** POST a JSON body and return the response. */
export function post(url: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  })
}

/** Every SSE `data:` payload of a response, parsed by a spec-conformant SSE parser. */
export async function sseData(response: Response): Promise<string[]> {
  const data: string[] = []
  const parser = createParser({ onEvent: (event) => data.push(event.data) })
  const decoder = new TextDecoder()
  const reader = response.body!.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    parser.feed(decoder.decode(value, { stream: true }))
  }
  return data
}

/** Every SSE payload as JSON (`[DONE]` kept as the string). */
export async function sseJson(response: Response): Promise<unknown[]> {
  return (await sseData(response)).map((data) => (data === '[DONE]' ? data : JSON.parse(data)))
}

/** Every NDJSON line of a response, parsed. */
export async function ndjson(response: Response): Promise<unknown[]> {
  const text = await response.text()
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown)
}

/** A user turn as Sluice's default request body carries it. */
export function userMessage(content: string): { messages: { role: string; content: string }[] } {
  return { messages: [{ role: 'user', content }] }
}

/** Wait until `check` passes (bounded), polling every 20 ms. */
export async function eventually<Value>(check: () => Value | Promise<Value>, timeout = 5000): Promise<Value> {
  const deadline = Date.now() + timeout
  let lastError: unknown
  while (Date.now() < deadline) {
    try {
      return await check()
    } catch (error) {
      lastError = error
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw lastError
}

/** A WebSocket client that keeps every frame it received, parsed as JSON. */
export interface SocketClient {
  socket: WebSocket
  frames: unknown[]
  send(frame: unknown): void
  /** Resolves with the close code (1006: dropped without a close frame). */
  closed: Promise<number>
  /** Frames until `predicate` matches one (bounded). */
  waitFor(predicate: (frame: unknown) => boolean, timeout?: number): Promise<unknown>
  close(): void
}

/** Open a WebSocket and collect its frames. */
export async function openSocket(url: string): Promise<SocketClient> {
  const socket = new WebSocket(url)
  const frames: unknown[] = []
  const waiters = new Set<() => void>()
  socket.on('message', (data) => {
    frames.push(JSON.parse(data.toString()))
    for (const waiter of waiters) waiter()
  })
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)))
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  return {
    socket,
    frames,
    closed,
    send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    waitFor(predicate, timeout = 5000) {
      const found = frames.find(predicate)
      if (found !== undefined) return Promise.resolve(found)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(
            new Error(`No matching frame within ${timeout} ms; got ${JSON.stringify(frames).slice(0, 2000)}`),
          )
        }, timeout)
        function check() {
          const match = frames.find(predicate)
          if (match === undefined) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve(match)
        }
        waiters.add(check)
      })
    },
    close: () => socket.close(),
  }
}

/** The observations of one request, by event name. */
export function eventsOf(log: readonly Observation[], request: string): string[] {
  return log.filter((entry) => entry.request === request).map((entry) => entry.event)
}

/** The sorted keys of an object (to compare a frame's shape with the document's). */
export function keys(value: unknown): string[] {
  return Object.keys(value as object).sort()
}

/** The id of the `index`-th request in a log (`'none'` when there is none yet). */
export function requestId(log: readonly Observation[], index = 0): string {
  const requests = log.filter((entry) => entry.event === 'request')
  return requests[index]?.request ?? 'none'
}

/** The events of the `index`-th request in a log. */
export function eventsOfRequest(log: readonly Observation[], index = 0): string[] {
  return eventsOf(log, requestId(log, index))
}
