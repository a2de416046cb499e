/**
 * The open conversation: its saved history (react-query over the mocked REST backend), the live
 * answer, the composer. One pane per protocol and transport (a chat's protocol is fixed when it
 * is created), keyed by the app.
 *
 * @module
 */
import {
  type Chat,
  type ChatStatus,
  type FilePart,
  lastAssistantMessageIsCompleteWithToolCalls,
  type Message,
  messageStreamId,
  type QueuedMessage,
  snapshotMessages,
} from '@sluice/core'
import { ChatProvider, ChatQueue, Composer, useAttachments } from '@sluice/react'
import { conversationQueryKeys, useConversationChat } from '@sluice/react/conversations'
import { useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useRef } from 'react'
import { conversationEndpoints, saveConversation } from '../chat/conversation-api.ts'
import type { LiveMetrics } from '../chat/live-metrics.ts'
import type { RequestConfig } from '../chat/request-config.ts'
import { runTool } from '../chat/run-tool.ts'
import { armFaults } from '../mocks/mock-handlers.ts'
import { Thread } from './thread.tsx'

/** Props of {@link ConversationPane}. */
export interface ConversationPaneProps {
  conversationId: string
  config: RequestConfig
  /** Let the controller retry 429/5xx and network errors before the first byte. */
  autoRetry: boolean
  metrics: LiveMetrics
  /** The first message of a new conversation was sent (the app puts its id in the URL). */
  onConversationStarted(): void
}

function isBusy(status: ChatStatus): boolean {
  return status === 'submitted' || status === 'streaming'
}

/**
 * Save a conversation whenever a request starts (the user's message and the placeholder) and
 * when it ends, however it ends: never per token. At rest, a switch of version or a rating
 * (the tree or a message changed with no answer streaming) saves too. Every branch is saved
 * (`snapshotMessages`: each message with its `parentId`), so a reload shows the same tree.
 */
function saveOnRest(chat: Chat, conversationId: string, onSaved: () => void): () => void {
  return chat.store.subscribe((state, previous) => {
    const started = state.status === 'submitted' && previous.status !== 'submitted'
    const ended = isBusy(previous.status) && !isBusy(state.status)
    // With `resume`, the answer's stream id arrives after the send: saved then, a reload finds
    // the stream and follows it.
    const lastId = state.messageIds.at(-1)
    const streamIdArrived =
      lastId !== undefined &&
      messageStreamId(state.messages[lastId]) !== undefined &&
      messageStreamId(previous.messages[lastId]) === undefined
    const atRest = !isBusy(state.status) && !isBusy(previous.status)
    const changedAtRest =
      atRest &&
      (state.tree !== previous.tree || state.messages !== previous.messages) &&
      state.messageIds.length > 0
    if (!started && !ended && !streamIdArrived && !changedAtRest) return
    const messages: Message[] = snapshotMessages(state)
    saveConversation(conversationId, messages).then(onSaved, (error: unknown) => console.error(error))
  })
}

/**
 * The queue is on with the mocks; `?queue=0` turns it off, and a real backend (`?backend=…`)
 * keeps the default (a send while an answer streams stops it: what its tests drive).
 */
function queueEnabled(): boolean {
  const params = new URLSearchParams(window.location.search)
  return !params.has('backend') && params.get('queue') !== '0'
}

/** The storage key of a conversation's queued messages. */
const queueKey = (conversationId: string) => `sluice-playground:queue:${conversationId}`

/**
 * Queued messages survive a reload: kept in localStorage per conversation, restored into a
 * chat whose queue is empty. After a reload nothing streams, so they wait for "Send now".
 */
function keepQueue(chat: Chat, conversationId: string): () => void {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(queueKey(conversationId)) ?? '[]')
    if (Array.isArray(saved) && chat.getState().queue.length === 0) {
      const valid = saved.filter(
        (item): item is QueuedMessage =>
          typeof item === 'object' &&
          item !== null &&
          typeof item.id === 'string' &&
          typeof item.text === 'string',
      )
      if (valid.length > 0) chat.store.getState().setQueue(valid.map(({ id, text }) => ({ id, text })))
    }
  } catch {
    // A damaged entry is dropped: the queue starts empty.
  }
  return chat.store.subscribe((state, previous) => {
    if (state.queue === previous.queue) return
    if (state.queue.length === 0) localStorage.removeItem(queueKey(conversationId))
    else
      localStorage.setItem(
        queueKey(conversationId),
        JSON.stringify(state.queue.map(({ id, text }) => ({ id, text }))),
      )
  })
}

/** The chat of one conversation. */
export function ConversationPane({
  conversationId,
  config,
  autoRetry,
  metrics,
  onConversationStarted,
}: ConversationPaneProps) {
  const queryClient = useQueryClient()
  const result = useConversationChat(conversationId, {
    ...conversationEndpoints,
    api: config.api,
    protocol: config.protocol,
    transport: config.transport,
    body: (messages) => config.body(messages),
    headers: config.headers,
    inlineTags: config.inlineTags,
    ...(config.resume ? { resume: true, keepStreamingOnUnmount: true } : {}),
    ...(autoRetry ? {} : { retry: false as const }),
    ...(config.transport === 'fetch' ? { fetch: metrics.fetch } : {}),
    onToolCall: (toolCall) => runTool(config.protocol, toolCall),
    // Sending while an answer streams queues the message (shown above the composer).
    queue: queueEnabled(),
    // Provider wires: once get_weather has its result, send it back for the model's answer.
    ...(config.agentLoop ? { sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithToolCalls } : {}),
  })
  const { chat, status, send, stop, retry, regenerate, history } = result

  useEffect(() => metrics.track(chat.store), [metrics, chat])
  useEffect(() => keepQueue(chat, conversationId), [chat, conversationId])

  // Every chat this pane opened keeps saving until the pane goes: an answer left streaming in
  // another conversation still lands in that conversation's saved history.
  const saving = useRef(new Map<Chat, () => void>())
  useEffect(() => {
    if (saving.current.has(chat)) return
    saving.current.set(
      chat,
      saveOnRest(chat, conversationId, () => {
        void queryClient.invalidateQueries({ queryKey: conversationQueryKeys().list })
      }),
    )
  }, [chat, conversationId, queryClient])
  useEffect(() => {
    const subscriptions = saving.current
    return () => {
      for (const unsubscribe of subscriptions.values()) unsubscribe()
      subscriptions.clear()
    }
  }, [])

  // Files picked, pasted or dropped on the thread; with no uploadFile, small images go inline as
  // data: URLs (the mocks read them from the request), other files are refused with a reason.
  const attachments = useAttachments()
  const onSend = useCallback(
    async (text: string, files: FilePart[]) => {
      onConversationStarted()
      armFaults()
      await send(text, files.length > 0 ? { files } : undefined)
    },
    [onConversationStarted, send],
  )
  // Retry re-runs the failed answer without re-arming the faults ("once" mode: it succeeds).
  const onRetry = useCallback(() => void retry(), [retry])
  // Any answer can be asked again: an earlier one gets a new version, its later turns kept beside it.
  const onRegenerate = useCallback(
    (message: Message) => {
      armFaults()
      void regenerate(message.id)
    },
    [regenerate],
  )

  return (
    <ChatProvider chat={chat}>
      <section className="conversation" aria-label="Chat">
        {history.isPending ? (
          <p className="conversation-note">Loading the conversation…</p>
        ) : history.error ? (
          <p className="conversation-note" role="alert">
            {history.error.message}
          </p>
        ) : null}
        <Thread onRetry={onRetry} onRegenerate={onRegenerate} attachments={attachments} />
        <ChatQueue className="conversation-queue" />
        <Composer
          queue={queueEnabled()}
          className="conversation-composer"
          attachments={attachments}
          onSend={onSend}
          onStop={stop}
          status={status}
          placeholder="Ask anything (Enter sends, Shift+Enter for a new line, Escape stops)"
        />
      </section>
    </ChatProvider>
  )
}
