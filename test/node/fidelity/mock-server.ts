/**
 * One MSW server per fidelity test file. Requests that no handler matches fail the test
 * (`onUnhandledRequest: 'error'`): the SDKs run with their default base URLs, so a handler whose
 * path does not match what the SDK really requests must not silently reach the network.
 */
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'

/**
 * Give a mocked response body the two behaviours Node's fetch has with a real server, which MSW
 * 2.15 (interceptors 0.41.9) lacks in Node: cancelling the body settles at once (MSW tees every
 * mocked body for its `response` event and the unread branch makes `body.cancel()` hang forever,
 * mswjs/interceptors#712 and #799), and aborting the request errors the body with the abort
 * reason (MSW leaves a pending read waiting). Without this, an SDK that cancels the body after a
 * bad frame, or a caller that aborts a stalled stream, hangs the test. The bytes are untouched.
 */
function withNetworkBodySemantics(mockedFetch: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await mockedFetch(input, init)
    const source = response.body
    if (source === null) return response
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined)
    const reader = source.getReader()
    const release = (reason: unknown) => {
      // Not awaited: MSW's cancel never settles, and a real socket does not wait for it either.
      reader.cancel(reason).catch(() => {})
    }
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        signal?.addEventListener(
          'abort',
          () => {
            try {
              controller.error(signal.reason)
            } catch {
              // Already closed or errored: nothing is waiting.
            }
            release(signal.reason)
          },
          { once: true },
        )
      },
      async pull(controller) {
        const { done, value } = await reader.read()
        if (signal?.aborted) return
        if (done) controller.close()
        else controller.enqueue(value)
      },
      cancel(reason) {
        release(reason)
      },
    })
    const wrapped = new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    })
    Object.defineProperty(wrapped, 'url', { value: response.url })
    return wrapped
  }
}

/**
 * Start an MSW server for the current test file; each test installs its scenario's handler with
 * `server.use(handler)`.
 *
 * @example
 * ```ts
 * const server = startMockServer()
 * it('reads text', async () => {
 *   server.use(openai.chatCompletions(scenario().text('Hi')))
 * })
 * ```
 */
export function startMockServer(): ReturnType<typeof setupServer> {
  const server = setupServer()
  let mockedFetch: typeof fetch | undefined
  beforeAll(() => {
    server.listen({ onUnhandledRequest: 'error' })
    mockedFetch = globalThis.fetch
    globalThis.fetch = withNetworkBodySemantics(mockedFetch)
  })
  afterEach(() => server.resetHandlers())
  afterAll(() => {
    if (mockedFetch !== undefined) globalThis.fetch = mockedFetch
    server.close()
  })
  return server
}
