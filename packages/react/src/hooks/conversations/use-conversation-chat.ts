'use client'

/**
 * `useConversationChat`: one chat per saved conversation, its history from a REST endpoint
 * (TanStack Query), its live answers written back to the query cache.
 *
 * @module
 */
import {
  type Chat,
  type ChatOptions,
  type ChatStatus,
  createChat,
  createMessagesSelector,
  type Message,
  type ToolCallPart,
} from '@sluice/core'
import { type QueryClient, type UseQueryResult, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useInsertionEffect, useMemo, useRef, useState } from 'react'
import { useReleaseOnUnmount } from '../release-on-unmount.ts'
import type { StreamingChatOptions } from '../use-chat-controller.ts'
import { type UseStreamingChatResult, useChatBinding } from '../use-streaming-chat.ts'
import {
  type ConversationEndpoints,
  conversationMessagesQuery,
  conversationQueryKeys,
} from './conversation-queries.ts'

/**
 * Options of {@link useConversationChat}: the chat options (read live, as in
 * `useStreamingChat`), the conversation endpoints, and per-conversation variants of `api`,
 * `body` and the callbacks (they receive the conversation id, since an answer may finish after
 * the user switched away).
 */
export interface ConversationChatOptions
  extends Omit<
      StreamingChatOptions,
      'api' | 'body' | 'store' | 'initialMessages' | 'onFinish' | 'onError' | 'onToolCall'
    >,
    ConversationEndpoints {
  /** The streaming endpoint, or a function of the conversation id (`(id) => \`/api/conversations/${id}/chat\``). */
  api: string | ((conversationId: string) => string)
  /** Extra request body fields, or a function of the messages and the conversation id. */
  body?: object | ((messages: readonly Message[], conversationId: string) => object)
  /** An answer completed (in this conversation, or one the user left while it streamed). */
  onFinish?: (message: Message, conversationId: string) => void
  /** A request failed, or its answer ended in an error or an interruption. */
  onError?: (error: Error, message: Message | undefined, conversationId: string) => void
  /** A tool call's input is complete; return its output, or `undefined` to add it later. */
  onToolCall?: (toolCall: ToolCallPart, message: Message, conversationId: string) => unknown
  /** The query client; the one from `QueryClientProvider` by default. */
  queryClient?: QueryClient
  /** How many conversations keep their chat in memory (idle ones beyond it are dropped, oldest first). Default 10. */
  maxChats?: number
  /** Refetch the `listUrl` query when an answer ends (titles and order change on the server). Default `true`. */
  refetchListOnFinish?: boolean
}

/** What {@link useConversationChat} returns: the `useStreamingChat` result for the open conversation, and its history query. */
export interface ConversationChatResult extends UseStreamingChatResult {
  /** The conversation this result shows. */
  conversationId: string
  /** The saved-messages query (`isPending` while the history loads, `error` when it failed). */
  history: UseQueryResult<Message[], Error>
}

interface ConversationEntry {
  chat: Chat
  release(): void
}

const defaultMaxChats = 10

function isBusy(status: ChatStatus): boolean {
  return status === 'submitted' || status === 'streaming'
}

function endpointsOf(options: ConversationChatOptions): ConversationEndpoints {
  return {
    messagesUrl: options.messagesUrl,
    ...(options.listUrl === undefined ? {} : { listUrl: options.listUrl }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.queryKey === undefined ? {} : { queryKey: options.queryKey }),
  }
}

/**
 * The chat's options: the component's latest options, with `api`, `body` and the callbacks
 * bound to this conversation's id.
 */
function conversationChatOptions(
  latest: { readonly current: ConversationChatOptions },
  conversationId: string,
  initialMessages: readonly Message[] | undefined,
): ChatOptions {
  const bound = {
    get api() {
      const { api } = latest.current
      return typeof api === 'function' ? api(conversationId) : api
    },
    get body() {
      const { body } = latest.current
      return typeof body === 'function'
        ? (messages: readonly Message[]) => body(messages, conversationId)
        : body
    },
    onFinish: (message: Message) => latest.current.onFinish?.(message, conversationId),
    onError: (error: Error, message: Message | undefined) =>
      latest.current.onError?.(error, message, conversationId),
    get onToolCall() {
      const { onToolCall } = latest.current
      // Absent when the app has no handler: the controller then leaves tool calls to addToolResult.
      return (
        onToolCall &&
        ((toolCall: ToolCallPart, message: Message) => onToolCall(toolCall, message, conversationId))
      )
    },
    initialMessages,
    store: undefined,
    // Chats are created during render (StrictMode may drop one): the mount effect connects.
    connect: false,
  }
  return new Proxy(bound as unknown as ChatOptions, {
    get: (target, key) => (key in target ? Reflect.get(target, key) : Reflect.get(latest.current, key)),
  })
}

/**
 * Chat in one of many saved conversations.
 *
 * - The conversation's saved messages load from `messagesUrl(id)` (through TanStack Query) and
 *   show before anything new; `send` waits for them, so the request carries the whole history.
 * - Each conversation has its own chat (a small in-memory map, `maxChats`). Switching
 *   conversation while an answer streams lets that answer finish into its own conversation;
 *   switching back shows it.
 * - When an answer ends (complete, stopped or failed), the conversation's messages are written
 *   to the query cache (`setQueryData`), so history and live view agree, and the list query is
 *   refetched.
 *
 * Needs `@tanstack/react-query` v5 and a `QueryClientProvider`.
 *
 * @example
 * ```tsx
 * const endpoints = {
 *   listUrl: '/api/conversations',
 *   messagesUrl: (id: string) => `/api/conversations/${id}/messages`,
 * }
 * function Conversation({ id }: { id: string }) {
 *   const { messages, history, status, send, stop } = useConversationChat(id, {
 *     ...endpoints,
 *     api: '/api/chat',
 *     protocol: 'openai-chat',
 *     body: (_messages, conversationId) => ({ model: 'gpt-4o', stream: true, conversationId }),
 *   })
 *   if (history.isPending) return <p>Loading the conversation…</p>
 *   return (
 *     <>
 *       {messages.map((message) => <ChatMessage key={message.id} message={message} />)}
 *       <Composer onSend={send} onStop={stop} status={status} />
 *     </>
 *   )
 * }
 * ```
 */
export function useConversationChat(
  conversationId: string,
  options: ConversationChatOptions,
): ConversationChatResult {
  const queryClient = useQueryClient(options.queryClient)
  const latest = useRef(options)
  useInsertionEffect(() => {
    latest.current = options
  })
  const [entries] = useState(() => new Map<string, ConversationEntry>())

  function createEntry(id: string): ConversationEntry {
    const keys = conversationQueryKeys(latest.current.queryKey)
    const cached = queryClient.getQueryData<Message[]>(keys.messages(id))
    const chat = createChat(conversationChatOptions(latest, id, cached))
    const selectMessages = createMessagesSelector()
    // The cache follows the chat whenever it is at rest (the user's message before the request,
    // the final answer, the `cancelled` mark a stop leaves): never per token.
    const unsubscribe = chat.store.subscribe((state, previous) => {
      if (isBusy(state.status)) return
      const ended = isBusy(previous.status)
      if (!ended && state.messages === previous.messages && state.messageIds === previous.messageIds) return
      queryClient.setQueryData(keys.messages(id), selectMessages(state))
      if (ended && latest.current.listUrl !== undefined && latest.current.refetchListOnFinish !== false) {
        void queryClient.invalidateQueries({ queryKey: keys.list })
      }
    })
    return {
      chat,
      release() {
        unsubscribe()
        chat.dispose()
      },
    }
  }

  let entry = entries.get(conversationId)
  if (entry === undefined) {
    entry = createEntry(conversationId)
    entries.set(conversationId, entry)
  }
  const { chat } = entry

  const current = useRef(chat)
  useInsertionEffect(() => {
    current.current = chat
  })
  // A chat the user switched away from keeps streaming into its own store; the open one stops on
  // unmount unless keepStreamingOnUnmount.
  useReleaseOnUnmount(
    chat,
    (released) => released !== current.current || latest.current.keepStreamingOnUnmount === true,
  )

  useEffect(() => {
    // Most recently opened last; drop the oldest idle chats beyond the limit.
    const opened = entries.get(conversationId)
    if (opened === undefined) return
    entries.delete(conversationId)
    entries.set(conversationId, opened)
    const limit = Math.max(1, latest.current.maxChats ?? defaultMaxChats)
    for (const [id, candidate] of entries) {
      if (entries.size <= limit) break
      if (id === conversationId || isBusy(candidate.chat.getState().status)) continue
      entries.delete(id)
      candidate.release()
    }
  }, [conversationId, entries])

  const history = useQuery(conversationMessagesQuery(endpointsOf(options), conversationId), queryClient)

  useEffect(() => {
    const saved = history.data
    if (saved !== undefined && saved.length > 0 && chat.getState().messageIds.length === 0) {
      chat.setMessages(saved)
    }
  }, [chat, history.data])

  const send = useCallback<Chat['send']>(
    async (text, sendOptions) => {
      const saved = await queryClient.ensureQueryData(
        conversationMessagesQuery(endpointsOf(latest.current), conversationId),
      )
      if (chat.getState().messageIds.length === 0 && saved.length > 0) chat.setMessages(saved)
      await chat.send(text, sendOptions)
    },
    [chat, conversationId, queryClient],
  )

  const binding = useChatBinding(chat)
  return useMemo(
    () => ({ ...binding, send, conversationId, history }),
    [binding, send, conversationId, history],
  )
}
