/**
 * One chat shared by a tree of components: the provider holds it, hooks below read it.
 *
 * @module
 */
import type { Chat } from '@sluice/core'
import { createContext, type ReactNode, useContext, useMemo } from 'react'
import {
  type ChatLabels,
  englishLabels,
  type Labels,
  type LabelsOverride,
  mergeLabels,
  resolveLabels,
} from '../labels.ts'
import { type StreamingChatOptions, useChatController } from './use-chat-controller.ts'

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

/**
 * The labels of the nearest {@link LabelsProvider} (or `ChatProvider` with `labels`): English
 * without one.
 *
 * @example
 * ```tsx
 * const labels = useContext(LabelsContext) // prefer useLabels()
 * ```
 */
export const LabelsContext = createContext<Labels>(englishLabels)
LabelsContext.displayName = 'SluiceLabelsContext'

/** Props of {@link LabelsProvider}. */
export interface LabelsProviderProps {
  /** Strings to replace, any subset of any group; the rest comes from the provider above (or English). */
  labels?: LabelsOverride | undefined
  /** The locale numbers and plurals are formatted for; the provider above's by default (`'en'`). */
  locale?: string | undefined
  children?: ReactNode
}

/**
 * Replace the built-in strings of every component below: buttons, statuses, announcements,
 * tool states, errors. Nested providers merge (the inner one wins string by string); a
 * component's own `labels` prop wins over both. Strings with numbers are functions receiving a
 * locale-aware formatter (`Intl.NumberFormat`, `Intl.PluralRules`).
 *
 * The labels are compared by identity: define them at module scope or memoize them, so the
 * components below do not re-render on each render of the provider's parent.
 *
 * @example
 * ```tsx
 * const french = {
 *   composer: { input: 'Message', send: 'Envoyer', stop: 'Arrêter' },
 *   reasoning: { thoughtFor: (seconds, format) => `Réflexion : ${format.unit(seconds, 'second', 'long')}` },
 * } satisfies LabelsOverride
 * <LabelsProvider labels={french} locale="fr"><Thread /></LabelsProvider>
 * ```
 */
export function LabelsProvider({ labels, locale, children }: LabelsProviderProps): ReactNode {
  const parent = useContext(LabelsContext)
  const value = useMemo(() => resolveLabels(labels, locale, parent), [labels, locale, parent])
  return <LabelsContext.Provider value={value}>{children}</LabelsContext.Provider>
}

/**
 * The labels a component shows: the nearest provider's (or English), with `override` over
 * them: a deep-partial of every group, or of one group (`useLabels('composer', { send: … })`).
 * Memoized on the override's identity.
 *
 * @example
 * ```tsx
 * function SendButton({ labels }: { labels?: LabelsOverride<ChatLabels['composer']> }) {
 *   const { composer } = useLabels('composer', labels)
 *   return <button type="submit">{composer.send}</button>
 * }
 * const { format, reasoning } = useLabels({ reasoning: { thinking: 'Pondering…' } })
 * ```
 */
export function useLabels(override?: LabelsOverride | undefined): Labels
export function useLabels<G extends keyof ChatLabels>(
  group: G,
  override: LabelsOverride<ChatLabels[G]> | undefined,
): Labels
export function useLabels<G extends keyof ChatLabels>(
  groupOrOverride?: G | LabelsOverride | undefined,
  groupOverride?: LabelsOverride<ChatLabels[G]> | undefined,
): Labels {
  const labels = useContext(LabelsContext)
  return useMemo(() => {
    if (typeof groupOrOverride !== 'string') return resolveLabels(groupOrOverride, undefined, labels)
    if (groupOverride === undefined) return labels
    const merged = mergeLabels(labels[groupOrOverride], groupOverride)
    return merged === labels[groupOrOverride] ? labels : { ...labels, [groupOrOverride]: merged }
  }, [labels, groupOrOverride, groupOverride])
}
