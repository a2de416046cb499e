/**
 * One chat shared by a tree of components: the provider holds it, hooks below read it.
 *
 * @module
 */
import type { Chat } from '@sluice/core'
import { createContext, type ReactNode, useContext } from 'react'
import type { LabelsOverride } from '../labels.ts'
import { LabelsProvider } from './labels-context.tsx'
import { type StreamingChatOptions, useChatController } from './use-chat-controller.ts'

// The labels live in their own module: a hook-only app (`useStreamingChat`) reads the chat
// context but never the labels, so its first load does not carry the English strings.
export { LabelsContext, LabelsProvider, type LabelsProviderProps, useLabels } from './labels-context.tsx'

/**
 * The context that carries the shared chat. `undefined` outside a {@link ChatProvider}.
 *
 * @example
 * ```tsx
 * const chat = useContext(ChatContext) // prefer useChatContext(), which explains a missing provider
 * ```
 */
export const ChatContext = createContext<Chat | undefined>(undefined)
ChatContext.displayName = 'SluiceChatContext'

/** Props of {@link ChatProvider}: a chat to share, or the options to create one. */
export type ChatProviderProps = ({ chat: Chat } | (StreamingChatOptions & { chat?: undefined })) & {
  children?: ReactNode
  /** Replace built-in strings of every component below (deep-partial; see {@link LabelsProvider}). */
  labels?: LabelsOverride | undefined
  /** The locale numbers and plurals of the labels are formatted for (`'en'` by default). */
  locale?: string | undefined
}

/**
 * Share one chat with every component below. Give it a `chat` (from `useChatController`,
 * `useStreamingChat(...).chat` or `createChat`), or chat options to create and own one
 * (created once, options read live, stopped on unmount unless `keepStreamingOnUnmount`).
 *
 * The provider itself never re-renders while an answer streams: the components below
 * subscribe to what they show (`useMessageIds`, `useMessage(id)`, `useChatStatus`).
 *
 * @example
 * ```tsx
 * <ChatProvider api="/api/chat" protocol="anthropic" body={{ model: 'claude-sonnet-4-5', max_tokens: 1024, stream: true }}>
 *   <Thread />
 *   <Composer />
 * </ChatProvider>
 * ```
 */
export function ChatProvider(props: ChatProviderProps): ReactNode {
  const { children, labels, locale, ...options } = props
  const chat = useChatController(
    options.chat !== undefined ? { chat: options.chat } : (options as StreamingChatOptions),
  )
  return (
    <ChatContext.Provider value={chat}>
      {labels === undefined && locale === undefined ? (
        children
      ) : (
        <LabelsProvider labels={labels} locale={locale}>
          {children}
        </LabelsProvider>
      )}
    </ChatContext.Provider>
  )
}

/**
 * The chat of the nearest {@link ChatProvider}.
 *
 * @example
 * ```tsx
 * function StopButton() {
 *   const chat = useChatContext()
 *   return <button type="button" onClick={() => chat.stop()}>Stop</button>
 * }
 * ```
 */
export function useChatContext(): Chat {
  const chat = useContext(ChatContext)
  if (chat === undefined) {
    throw new Error(
      'useChatContext: there is no <ChatProvider> above this component. Wrap the tree in <ChatProvider chat={chat}> (or <ChatProvider api=… protocol=…>).',
    )
  }
  return chat
}

/**
 * The chat given to a hook, else the provider's. Throws a message naming the hook when neither exists.
 *
 * @example
 * ```ts
 * const resolved = useResolvedChat(chat, 'useMessage')
 * ```
 */
export function useResolvedChat(chat: Chat | undefined, hookName: string): Chat {
  const provided = useContext(ChatContext)
  const resolved = chat ?? provided
  if (resolved === undefined) {
    throw new Error(
      `${hookName}: no chat to read. Pass one as the last argument (${hookName}(…, chat)) or render the component inside a <ChatProvider>.`,
    )
  }
  return resolved
}
