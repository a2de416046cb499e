/**
 * Start the MSW service worker before the app renders, so the very first request is mocked.
 *
 * @module
 */
import { setupWorker } from 'msw/browser'
import { createMockHandlers } from './mock-handlers.ts'

/**
 * Register `mockServiceWorker.js` (relative to the page, so the build works from any sub-path)
 * and wait until it controls the page. Requests no handler knows (a real backend, the page's own
 * assets) go to the network untouched.
 *
 * @example
 * ```ts
 * await startMocks()
 * createRoot(element).render(<App />)
 * ```
 */
export async function startMocks(): Promise<void> {
  const worker = setupWorker(...createMockHandlers())
  await worker.start({
    serviceWorker: { url: `${import.meta.env.BASE_URL}mockServiceWorker.js` },
    onUnhandledRequest: 'bypass',
    quiet: true,
  })
}
