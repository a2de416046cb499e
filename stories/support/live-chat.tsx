/**
 * A whole chat screen on the real stack: `ChatProvider` → `createChat` → fetch → MSW's service
 * worker → a `@sluice/msw` handler streaming a provider's wire format. What the stories assert
 * is what a user would see in an app.
 */
import { ChatProvider, Composer, type Message, MessageList, type ProtocolId } from '@sluice/react'
import type { ReactNode } from 'react'

/** Where each provider is reached, and the body its API needs. */
export const providers = {
  'openai-chat': {
    api: 'https://api.openai.com/v1/chat/completions',
    body: { model: 'gpt-4o', stream: true, stream_options: { include_usage: true } },
  },
  anthropic: {
    api: 'https://api.anthropic.com/v1/messages',
    body: { model: 'claude-sonnet-4-5', max_tokens: 1024, stream: true },
  },
} as const satisfies Partial<Record<ProtocolId, { api: string; body: object }>>

/** Props of {@link LiveChat}. */
export interface LiveChatProps {
  provider?: keyof typeof providers
  /** The app runs tools itself: return the output. */
  onToolCall?: (toolCall: Extract<Message['parts'][number], { type: 'tool-call' }>) => unknown
  children?: ReactNode
}

/** A chat with its thread and composer, talking to the mocked provider. */
export function LiveChat({ provider = 'openai-chat', onToolCall, children }: LiveChatProps) {
  const { api, body } = providers[provider]
  return (
    <ChatProvider
      api={api}
      protocol={provider}
      body={body}
      // A story shows one request's fate: no silent second attempt on a failure.
      retry={false}
      {...(onToolCall ? { onToolCall } : {})}
    >
      <div style={{ display: 'grid', gap: '0.75rem', maxWidth: 720 }}>
        <MessageList style={{ height: 420 }} />
        <Composer placeholder="Ask anything" />
        {children}
      </div>
    </ChatProvider>
  )
}
