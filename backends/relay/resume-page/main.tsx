/**
 * The smallest app that keeps its conversation across reloads on the relay: `useStreamingChat`
 * with `resume: true`, the messages saved in `localStorage` whenever they change and passed back
 * as `initialMessages` on load. A reload mid-answer, or a second tab on the same storage, follows
 * the answer from the relay (`test/e2e/relay-resume.spec.ts` drives it in Chromium).
 * `?api=<relay endpoint>` names the relay (default: the development relay on port 8706).
 *
 * @module
 */
import type { Message } from '@sluice/core'
import { ChatMessage, useStreamingChat } from '@sluice/react'
import { type FormEvent, StrictMode, useEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'

const storageKey = 'sluice-relay-page:messages'
const api =
  new URLSearchParams(window.location.search).get('api') ?? 'http://127.0.0.1:8706/v1/chat/completions'

function savedMessages(): Message[] {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(storageKey) ?? '[]')
    return Array.isArray(saved) ? (saved as Message[]) : []
  } catch {
    return []
  }
}

function App() {
  const [initialMessages] = useState(savedMessages)
  const { messages, status, send, stop } = useStreamingChat({
    api,
    protocol: 'openai-chat',
    resume: true,
    keepStreamingOnUnmount: true,
    initialMessages,
    body: { model: 'gpt-4o-mini', stream: true },
  })
  useEffect(() => {
    localStorage.setItem(storageKey, JSON.stringify(messages))
  }, [messages])
  const [draft, setDraft] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (draft.trim() === '') return
    void send(draft)
    setDraft('')
  }
  const busy = status === 'submitted' || status === 'streaming'
  return (
    <main>
      <div role="log" aria-busy={busy}>
        {messages.map((message) => (
          <ChatMessage key={message.id} message={message} />
        ))}
      </div>
      <form onSubmit={submit}>
        <input aria-label="Message" value={draft} onChange={(event) => setDraft(event.target.value)} />
        {busy ? (
          <button type="button" onClick={stop}>
            Stop
          </button>
        ) : (
          <button type="submit">Send</button>
        )}
      </form>
    </main>
  )
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
