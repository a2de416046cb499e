/**
 * The playground's entry: set the page's direction from the URL, start the mock service worker,
 * then render.
 *
 * @module
 */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app.tsx'
import { startMocks } from './mocks/start-mocks.ts'
import '@sluice/react/theme.css'
import '@sluice/react/highlight.css'
import './playground.css'

// `?dir=rtl` lays the whole page out right to left (the theme uses logical properties only);
// `?lang=ar` (or any tag) sets the document language with it. Anything else stays left to right.
const query = new URLSearchParams(window.location.search)
const direction = query.get('dir')
if (direction === 'rtl' || direction === 'ltr') document.documentElement.dir = direction
const language = query.get('lang')
if (language !== null && /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(language))
  document.documentElement.lang = language

const container = document.getElementById('root')
if (container === null) throw new Error('The playground needs an element with id "root" in index.html.')
const root = createRoot(container)

startMocks()
  .catch((error: unknown) => {
    // Without the worker the mocks are gone, but a real backend still works: say so and go on.
    console.error('The mock service worker did not start; only a real backend will answer.', error)
  })
  .finally(() => {
    root.render(
      <StrictMode>
        <App />
      </StrictMode>,
    )
  })
