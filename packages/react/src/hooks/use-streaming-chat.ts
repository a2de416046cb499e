/**
 * `useStreamingChat`: the chat controller bound to React.
 *
 * @module
 */
import type { Chat, ChatStatus, ChatStore, Message } from '@sluice/core'
import { useMemo } from 'react'
import { type UseChatControllerOptions, useChatController } from './use-chat-controller.ts'
import { useChatError, useChatStatus, useMessages } from './use-chat-selector.ts'

/** Options of {@link useStreamingChat}: chat options (the hook creates the chat), or `{ chat }` to bind to one. */
export type UseStreamingChatOptions = UseChatControllerOptions

/** What {@link useStreamingChat} returns. The functions are stable for the chat's life. */
export interface UseStreamingChatResult {
  /** The conversation, oldest first (a new array when any message changes: at most once per frame). */
  messages: Message[]
  /** `idle`, `submitted` (waiting for the first byte), `streaming` or `error`. */
  status: ChatStatus
  /** The last request error while `status` is `error`: the provider's message, with `status` and `code`. */
  error?: Error
  /** Append a user message and stream the answer. Never rejects for a failed request (see `error`). */
  send: Chat['send']
  /** Abort the request; the partial answer is kept as `cancelled`. */
  stop: Chat['stop']
  /** Drop the last answer and ask again. */
  regenerate: Chat['regenerate']
  /** Re-run the last answer when it ended in `error`, `interrupted` or `cancelled`. */
  retry: Chat['retry']
  /** Continue an `interrupted` answer from the last SSE id (see `canResume`). */
  resume: Chat['resume']
  /** Whether `resume()` can continue the last answer. */
  canResume: Chat['canResume']
  /** Record the output (or error) of a tool call the app ran. */
  addToolResult: Chat['addToolResult']
  /** Replace the conversation (saved history, a reset). */
  setMessages: Chat['setMessages']
  /** The controller, for a `ChatProvider` or the selector hooks. */
  chat: Chat
  /** The zustand store the chat writes to. */
  store: ChatStore
}

/**
 * Build the hook's result for a chat (shared with `useConversationChat`).
 *
 * @example
 * ```ts
 * const result = useChatBinding(chat)
 * ```
 */
export function useChatBinding(chat: Chat): UseStreamingChatResult {
  const messages = useMessages(chat)
  const status = useChatStatus(chat)
  const error = useChatError(chat)
  return useMemo(
    () => ({
      messages,
      status,
      ...(error === undefined ? {} : { error }),
      send: chat.send,
      stop: chat.stop,
      regenerate: chat.regenerate,
      retry: chat.retry,
      resume: chat.resume,
      canResume: chat.canResume,
      addToolResult: chat.addToolResult,
      setMessages: chat.setMessages,
      chat,
      store: chat.store,
    }),
    [chat, messages, status, error],
  )
}

/**
 * Stream a conversation with a model: send messages, watch the answer grow, stop, retry,
 * regenerate, resume.
 *
 * The hook is a thin binding over `createChat` from `@sluice/core`: the chat is created once,
 * option changes are read live (a new `body` or `onFinish` applies to the next request), and
 * state is read with `useSyncExternalStore`, applied at most once per animation frame. Server
 * rendering shows the store's messages and touches no browser API. In StrictMode the double
 * mount sends nothing twice and keeps the chat.
 *
 * Unmounting stops an answer in progress (the request is aborted) unless
 * `keepStreamingOnUnmount: true`. Pass `{ chat }` instead of options to bind to a chat created
 * elsewhere (its owner disposes it).
 *
 * The component that calls this hook re-renders on every applied batch, because it reads
 * `messages`. For long threads, share `result.chat` with a `ChatProvider` and render rows with
 * `useMessageIds()` and `useMessage(id)`: a token then re-renders only its own row.
 *
 * @example
 * ```tsx
 * function Chat() {
 *   const { messages, status, error, send, stop, retry } = useStreamingChat({
 *     api: '/api/chat',
 *     protocol: 'openai-chat',
 *     body: { model: 'gpt-4o', stream: true },
 *     onFinish: (message) => console.log('done', message.id),
 *   })
 *   return (
 *     <>
 *       {messages.map((message) => <ChatMessage key={message.id} message={message} />)}
 *       {error && <p role="alert">{error.message} <button type="button" onClick={() => retry()}>Retry</button></p>}
 *       {status === 'streaming' || status === 'submitted'
 *         ? <button type="button" onClick={stop}>Stop</button>
 *         : <button type="button" onClick={() => send('Hello')}>Send</button>}
 *     </>
 *   )
 * }
 * ```
 */
export function useStreamingChat(options: UseStreamingChatOptions): UseStreamingChatResult {
  return useChatBinding(useChatController(options))
}
