import { type Message, messageText } from '@sluice/core'
import {
  type UseStreamingChatOptions,
  type UseStreamingChatResult,
  useStreamingChat,
} from '../../../packages/react/src/hooks/index.ts'

/** The latest hook result of the rendered ChatView, for the test to call actions on. */
export interface ResultBox {
  current?: UseStreamingChatResult
}

export function MessageItem({ message }: { message: Message }) {
  return (
    <li data-message-id={message.id} data-role={message.role} data-status={message.status}>
      {messageText(message)}
    </li>
  )
}

/** A minimal chat screen over `useStreamingChat`, exposing what a user sees. */
export function ChatView({ options, box }: { options: UseStreamingChatOptions; box: ResultBox }) {
  const result = useStreamingChat(options)
  box.current = result
  return (
    <div>
      <p data-testid="status">{result.status}</p>
      {result.error ? <p role="alert">{result.error.message}</p> : null}
      <ul>
        {result.messages.map((message) => (
          <MessageItem key={message.id} message={message} />
        ))}
      </ul>
    </div>
  )
}

/** The rendered assistant messages (what the user sees of each answer). */
export function assistantItems(): { status: string | null; text: string }[] {
  return [...document.querySelectorAll('[data-role="assistant"]')].map((element) => ({
    status: element.getAttribute('data-status'),
    text: element.textContent ?? '',
  }))
}

export function statusText(): string | null | undefined {
  return document.querySelector('[data-testid="status"]')?.textContent
}
