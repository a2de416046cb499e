'use client'

/**
 * @sluice/react: the React binding of @sluice/core — `useStreamingChat`, selector hooks, a
 * provider, saved conversations with TanStack Query, headless chat components and a streaming,
 * secure `Markdown`. The default theme is a separate stylesheet: `@sluice/react/theme.css`.
 *
 * @example
 * ```tsx
 * import { ChatMessage, useStreamingChat } from '@sluice/react'
 * function Chat() {
 *   const chat = useStreamingChat({ api: '/v1/chat/completions', protocol: 'openai-chat' })
 *   return chat.messages.map((message) => <ChatMessage key={message.id} message={message} />)
 * }
 * ```
 * @module
 */
export type {
  ChatEvent,
  ChatStatus,
  ChatStore,
  FinishReason,
  Message,
  MessagePart,
  MessageRole,
  MessageStatus,
  Protocol,
  ProtocolId,
  ToolCallPart,
  ToolCallState,
  Usage,
} from '@sluice/core'
export * from './components/index.ts'
export * from './hooks/index.ts'
export {
  LabelsContext,
  LabelsProvider,
  type LabelsProviderProps,
  useLabels,
} from './hooks/labels-context.tsx'
export {
  type ChatLabels,
  compactFileSize,
  compactMilliseconds,
  compactSeconds,
  createLabelFormat,
  defaultLabels,
  englishLabels,
  type LabelFormat,
  type Labels,
  type LabelsOverride,
  mergeLabels,
  type PluralForms,
  resolveLabels,
} from './labels.ts'
export * from './markdown/index.ts'
