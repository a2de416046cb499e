import { Composer, MessageList } from '@sluice/react'
import { useConversationChat, useConversations } from '@sluice/react/conversations'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useState } from 'react'
import '@sluice/react/theme.css'

const endpoints = {
  listUrl: '/api/conversations', // GET → [{ id, title }]
  messagesUrl: (id: string) => `/api/conversations/${id}/messages`, // GET → [{ id, role, content }]
}

function Conversation({ id }: { id: string }) {
  const chat = useConversationChat(id, {
    ...endpoints,
    api: (conversationId) => `/api/conversations/${conversationId}/chat`,
    protocol: 'openai-chat',
    body: { stream: true },
  })
  if (chat.history.isPending) return <p>Loading…</p>
  return (
    <div className="sluice-chat">
      <MessageList chat={chat.chat} onRetry={() => chat.retry()} />
      <Composer chat={chat.chat} />
    </div>
  )
}

function Conversations() {
  const { conversations } = useConversations(endpoints)
  const [open, setOpen] = useState<string | null>(null)
  return (
    <>
      <nav aria-label="Conversations">
        {conversations.map((conversation) => (
          <button key={conversation.id} type="button" onClick={() => setOpen(conversation.id)}>
            {conversation.title}
          </button>
        ))}
      </nav>
      {open !== null && <Conversation key={open} id={open} />}
    </>
  )
}

const queryClient = new QueryClient()

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Conversations />
    </QueryClientProvider>
  )
}
