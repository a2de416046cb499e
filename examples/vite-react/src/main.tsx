import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { Chat } from './chat.tsx'
import './index.css'

// The mocked provider runs in development only: in `vite build`, `import.meta.env.DEV` is
// `false`, so this import and msw with it are left out of the production bundle.
async function startMocks() {
  if (!import.meta.env.DEV) return
  const { worker } = await import('./mocks/browser.ts')
  await worker.start({ onUnhandledRequest: 'bypass' })
}

startMocks().then(() => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Chat />
    </StrictMode>,
  )
})
