/**
 * Query keys, fetchers and parsers for saved conversations (TanStack Query).
 *
 * @module
 */
import type { Message, MessagePart } from '@sluice/core'

/** One saved conversation as the list endpoint returns it. Fields other than `id` are yours. */
export interface Conversation {
  id: string
  title?: string
  [field: string]: unknown
}

/** Where saved conversations live. */
export interface ConversationEndpoints {
  /** `GET` returns the conversations: `Conversation[]` or `{ conversations: Conversation[] }`. */
  listUrl?: string
  /**
   * `GET` returns a conversation's saved messages: `Message[]` or `{ messages: Message[] }`.
   * A message may be the short `{ id, role, content }` form; a 404 means a new, empty conversation.
   */
  messagesUrl: (conversationId: string) => string
  /** The fetch for both endpoints (credentials, a proxy, a test double). */
  fetch?: typeof fetch
  /** The query key prefix; `['sluice', 'conversations']` by default. */
  queryKey?: readonly unknown[]
}

const defaultQueryKey = ['sluice', 'conversations'] as const

/**
 * The query keys: `list` for the conversations, `messages(id)` for one conversation's messages.
 *
 * @example
 * ```ts
 * queryClient.invalidateQueries({ queryKey: conversationQueryKeys().list })
 * queryClient.getQueryData(conversationQueryKeys().messages('c1'))
 * ```
 */
export function conversationQueryKeys(prefix: readonly unknown[] = defaultQueryKey): {
  all: readonly unknown[]
  list: readonly unknown[]
  messages(conversationId: string): readonly unknown[]
} {
  return {
    all: prefix,
    list: [...prefix, 'list'],
    messages: (conversationId) => [...prefix, 'messages', conversationId],
  }
}

async function getJson(url: string, fetchFunction: typeof fetch | undefined, signal?: AbortSignal) {
  const response = await (fetchFunction ?? globalThis.fetch)(url, {
    headers: { accept: 'application/json' },
    ...(signal ? { signal } : {}),
  })
  return response
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Read the list endpoint's body: an array, or `{ conversations }`.
 *
 * @example
 * ```ts
 * parseConversations([{ id: 'c1', title: 'Trip' }], '/api/conversations') // [{ id: 'c1', title: 'Trip' }]
 * ```
 */
export function parseConversations(body: unknown, url: string): Conversation[] {
  const list = Array.isArray(body) ? body : isRecord(body) ? body.conversations : undefined
  if (!Array.isArray(list)) {
    throw new Error(
      `useConversations: GET ${url} returned ${JSON.stringify(body)?.slice(0, 100)}; expected an array of conversations or { conversations: [...] }.`,
    )
  }
  return list.map((item, index) => {
    if (!isRecord(item) || typeof item.id !== 'string') {
      throw new Error(
        `useConversations: conversation ${index} from GET ${url} has no string "id"; every conversation needs one.`,
      )
    }
    return item as Conversation
  })
}

/**
 * Read the messages endpoint's body: `Message[]` or `{ messages }`. A message without `parts`
 * but with a string `content` gets one text part; a missing `status` means `complete`.
 *
 * @example
 * ```ts
 * parseMessages([{ id: 'u1', role: 'user', content: 'Hi' }], '/api/conversations/c1/messages')
 * // [{ id: 'u1', role: 'user', status: 'complete', parts: [{ type: 'text', id: 'text', text: 'Hi', state: 'done' }] }]
 * ```
 */
export function parseMessages(body: unknown, url: string): Message[] {
  const list = Array.isArray(body) ? body : isRecord(body) ? body.messages : undefined
  if (!Array.isArray(list)) {
    throw new Error(
      `useConversationChat: GET ${url} returned ${JSON.stringify(body)?.slice(0, 100)}; expected an array of messages or { messages: [...] }.`,
    )
  }
  return list.map((item, index) => {
    if (!isRecord(item) || typeof item.id !== 'string' || typeof item.role !== 'string') {
      throw new Error(
        `useConversationChat: message ${index} from GET ${url} needs a string "id" and "role" (user, assistant, system or tool).`,
      )
    }
    const { content, ...rest } = item
    const parts: MessagePart[] = Array.isArray(item.parts)
      ? (item.parts as MessagePart[])
      : typeof content === 'string'
        ? [{ type: 'text', id: 'text', text: content, state: 'done' }]
        : []
    return { ...rest, status: typeof item.status === 'string' ? item.status : 'complete', parts } as Message
  })
}

/**
 * Fetch the conversation list.
 *
 * @example
 * ```ts
 * const conversations = await fetchConversations({ listUrl: '/api/conversations', messagesUrl: (id) => `/api/conversations/${id}` })
 * ```
 */
export async function fetchConversations(
  endpoints: ConversationEndpoints,
  signal?: AbortSignal,
): Promise<Conversation[]> {
  const url = endpoints.listUrl
  if (url === undefined) {
    throw new Error(
      'useConversations: no listUrl. Pass the URL that lists conversations, e.g. "/api/conversations".',
    )
  }
  const response = await getJson(url, endpoints.fetch, signal)
  if (!response.ok) {
    throw Object.assign(
      new Error(
        `Loading the conversations failed: GET ${url} answered ${response.status}. Retry, or check the endpoint.`,
      ),
      { status: response.status },
    )
  }
  return parseConversations(await response.json(), url)
}

/**
 * Fetch one conversation's saved messages (a 404 is an empty, new conversation).
 *
 * @example
 * ```ts
 * const messages = await fetchConversationMessages(endpoints, 'c1')
 * ```
 */
export async function fetchConversationMessages(
  endpoints: ConversationEndpoints,
  conversationId: string,
  signal?: AbortSignal,
): Promise<Message[]> {
  const url = endpoints.messagesUrl(conversationId)
  const response = await getJson(url, endpoints.fetch, signal)
  if (response.status === 404) return []
  if (!response.ok) {
    throw Object.assign(
      new Error(
        `Loading the messages of conversation "${conversationId}" failed: GET ${url} answered ${response.status}. Retry, or check messagesUrl.`,
      ),
      { status: response.status },
    )
  }
  return parseMessages(await response.json(), url)
}

/**
 * Query options for one conversation's messages, for `useQuery`, `prefetchQuery` or server-side
 * prefetching. `staleTime` is infinite: once loaded, the live chat is the truth and writes the
 * cache itself.
 *
 * @example
 * ```ts
 * await queryClient.prefetchQuery(conversationMessagesQuery(endpoints, 'c1'))
 * ```
 */
export function conversationMessagesQuery(endpoints: ConversationEndpoints, conversationId: string) {
  return {
    queryKey: conversationQueryKeys(endpoints.queryKey).messages(conversationId),
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      fetchConversationMessages(endpoints, conversationId, signal),
    staleTime: Number.POSITIVE_INFINITY,
  }
}
