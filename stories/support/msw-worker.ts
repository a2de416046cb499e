/**
 * The one MSW service worker of the Storybook. Stories give their handlers as the `msw`
 * parameter; the preview's loader swaps them in before each story renders, so no story sees
 * another story's mocks.
 */
import type { RequestHandler, WebSocketHandler } from 'msw'
import { setupWorker } from 'msw/browser'

/** What a story lists in `parameters.msw`. */
export type StoryHandlers = readonly (RequestHandler | WebSocketHandler)[]

/** The worker; a play function may `worker.use(…)` to change what the next request gets. */
export const worker = setupWorker()

let started: Promise<unknown> | undefined

/**
 * Register the service worker once per page (it is served from `playground/public`, the one copy of it) and replace
 * the current handlers with the story's. A request no story mocks goes to the network as
 * usual (Storybook's own modules are fetched through the same page).
 */
export async function applyStoryHandlers(handlers: StoryHandlers = []): Promise<void> {
  started ??= worker.start({
    quiet: true,
    onUnhandledRequest: 'bypass',
    serviceWorker: { url: `${import.meta.env.BASE_URL ?? '/'}mockServiceWorker.js` },
  })
  await started
  worker.resetHandlers(...handlers)
}
