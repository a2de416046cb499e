/**
 * The chat controller owned by a component: created once, fed the latest options, released on
 * unmount.
 *
 * @module
 */
import { type Chat, type ChatOptions, createChat } from '@sluice/core'
import { useInsertionEffect, useRef, useState } from 'react'
import { createLiveOptions } from './live-options.ts'
import { useReleaseOnUnmount } from './release-on-unmount.ts'

/**
 * Options of a chat a hook creates: everything {@link ChatOptions} takes, plus what happens to
 * an answer in progress when the component unmounts.
 *
 * Options are read live: a new `api`, `body`, `headers`, `framing`, `inlineTags`, `stream` or
 * callback applies from the next request (or event) on. `protocol`, `transport`, `store`,
 * `initialMessages`, `idGenerator`, `retry`, `scheduler`, `now`, `fetch` and `cancelFrame` are
 * read once, when the chat is created.
 */
export interface StreamingChatOptions extends ChatOptions {
  /**
   * What unmounting does to an answer still streaming. `false` (default): stop it, like
   * `stop()` (the request is aborted, the partial text is kept as `cancelled`). `true`: let it
   * finish into the chat's store in the background (useful when the store outlives the
   * component: a `store` you passed, a chat in a {@link ChatProvider} above, a route you come
   * back to).
   */
  keepStreamingOnUnmount?: boolean
}

/** Bind to a chat created elsewhere (a `ChatProvider`, `useConversationChat`, `createChat`). It is not disposed on unmount: its owner does that. */
export interface BoundChatOptions {
  chat: Chat
}

/** Options of {@link useChatController} and `useStreamingChat`: create a chat, or bind to one. */
export type UseChatControllerOptions = StreamingChatOptions | BoundChatOptions

function isBound(options: UseChatControllerOptions): options is BoundChatOptions {
  return 'chat' in options && options.chat !== undefined
}

/**
 * The chat controller for a component, without subscribing to anything: the component does
 * not re-render while an answer streams. Use it at the top of a tree that reads the chat with
 * selector hooks (`useMessageIds`, `useMessage`, `useChatStatus`).
 *
 * The chat is created once; option changes are read live; unmounting stops the answer in
 * progress unless `keepStreamingOnUnmount` is set. With `{ chat }` it returns that chat and
 * leaves its lifecycle to its owner.
 *
 * @example
 * ```tsx
 * function App() {
 *   const chat = useChatController({ api: '/api/chat', protocol: 'openai-chat' })
 *   return (
 *     <ChatProvider chat={chat}>
 *       <Thread />
 *       <button type="button" onClick={() => chat.send('Hello')}>Send</button>
 *     </ChatProvider>
 *   )
 * }
 * ```
 */
export function useChatController(options: UseChatControllerOptions): Chat {
  const latest = useRef(options)
  // Insertion effects run before layout effects and event handlers of the committed render,
  // and never during a render React may throw away.
  useInsertionEffect(() => {
    latest.current = options
  })
  // `connect: false`: StrictMode runs this initialiser twice and drops one chat, which must hold
  // no subscription to a shared transport. The kept chat connects in its mount effect.
  const [owned] = useState(() =>
    isBound(options)
      ? undefined
      : createChat(createLiveOptions(latest as { current: StreamingChatOptions }, { connect: false })),
  )
  useReleaseOnUnmount(owned, () => {
    const current = latest.current
    return !isBound(current) && current.keepStreamingOnUnmount === true
  })
  if (isBound(options)) return options.chat
  if (owned === undefined) {
    throw new Error(
      'useChatController: the options changed from { chat } to chat options after the first render. A component either creates its chat or binds to one for its whole life; give it a new `key` to switch.',
    )
  }
  return owned
}
