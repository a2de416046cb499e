import { Composer, MessageList, useStreamingChat } from '@sluice/react'
import '@sluice/react/theme.css'

export function Chat() {
  const chat = useStreamingChat({
    api: '/api/chat', // your server, which forwards to the provider
    protocol: 'openai-chat',
    body: { model: 'gpt-4o-mini', stream: true },
  })
  return (
    <div className="sluice-chat">
      <MessageList chat={chat.chat} onRetry={() => chat.retry()} />
      <Composer chat={chat.chat} />
    </div>
  )
}
