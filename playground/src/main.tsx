/**
 * The playground's entry: start the mock service worker, then render.
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
