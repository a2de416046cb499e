'use client'

import { Composer, MessageList, type ProtocolId, useStreamingChat } from '@sluice/react'

export function Chat({ protocol }: { protocol: ProtocolId }) {
  const chat = useStreamingChat({
    api: '/api/chat', // app/api/chat/route.ts: the @sluice/server relay adds the key and the model
    protocol,
    // The relay keeps every answer in its stream store: a dropped connection resumes where it was.
    resume: true,
  })
  return (
    <div className="sluice-chat">
      <MessageList chat={chat.chat} onRetry={() => chat.retry()} />
      <Composer chat={chat.chat} />
    </div>
  )
}
