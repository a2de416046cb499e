/**
 * Shared pieces of the component tests: message builders, an axe check, and a fetch whose
 * response body the test writes chunk by chunk.
 */
import type { Message, MessagePart } from '@sluice/core'
import axe from 'axe-core'
import { expect } from 'vitest'

/** A message with the given status and parts (assistant unless said otherwise). */
export function makeMessage(
  id: string,
  status: Message['status'],
  parts: MessagePart[],
  extra: Partial<Omit<Message, 'id' | 'status' | 'parts'>> = {},
): Message {
  return { id, role: 'assistant', status, parts, ...extra }
}

/** A text part. */
export function text(id: string, value: string, state: 'streaming' | 'done' = 'done'): MessagePart {
  return { type: 'text', id, text: value, state }
}

/** Runs axe-core on an element and fails with the rule ids and targets when anything is violated. */
export async function expectNoAxeViolations(element: Element): Promise<void> {
  const results = await axe.run(element, { resultTypes: ['violations'] })
  const violations = results.violations.map(
    (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  )
  expect(violations).toEqual([])
}

/** A fetch that answers with a streamed body the test controls. */
export function controlledFetch(): {
  fetch: typeof fetch
  /** Resolves once the request was made. */
  requested: Promise<void>
  push(chunk: string): void
  close(): void
} {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined
  let markRequested: () => void = () => {}
  const requested = new Promise<void>((resolve) => {
    markRequested = resolve
  })
  const encoder = new TextEncoder()
  const fakeFetch = (async (_input: RequestInfo | URL, init?: RequestInit) => {
    const body = new ReadableStream<Uint8Array>({
      start(streamController) {
        controller = streamController
      },
    })
    init?.signal?.addEventListener('abort', () =>
      controller?.error(new DOMException('Aborted', 'AbortError')),
    )
    markRequested()
    return new Response(body, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } })
  }) as typeof fetch
  return {
    fetch: fakeFetch,
    requested,
    push: (chunk) => controller?.enqueue(encoder.encode(chunk)),
    close: () => controller?.close(),
  }
}

/** Waits for the next animation frames (the chat applies events once per frame). */
export async function nextFrames(count = 2): Promise<void> {
  for (let index = 0; index < count; index++) await new Promise((resolve) => requestAnimationFrame(resolve))
}

/**
 * Await `promise`, failing after `milliseconds` with the name of the step that did not finish
 * (a test timeout says only that the test hung; this says where).
 *
 * @example
 * ```ts
 * const screen = await withTimeout(render(<MessageList messages={many} />), 20_000, 'the first render')
 * ```
 */
export async function withTimeout<T>(promise: Promise<T>, milliseconds: number, step: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${step} did not finish within ${milliseconds} ms`)),
      milliseconds,
    )
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
