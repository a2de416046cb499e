/**
 * @sluice/react/helpers: the types and pure helpers of `@sluice/react`, with no React in their
 * imports, so a React Server Component (Next.js App Router) can call them. The main entry,
 * `@sluice/react`, is a client module (`'use client'`): a Server Component may render its
 * components and import its types, but a function imported from it is a client reference and
 * cannot be called on the server.
 *
 * @example
 * ```tsx
 * // app/page.tsx, a Server Component
 * import { isMessageActive, type Message } from '@sluice/react/helpers'
 *
 * export default async function Page() {
 *   const saved: Message[] = await loadConversation()
 *   return <p>{saved.filter((message) => !isMessageActive(message)).length} finished messages</p>
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
export { announceMessage } from './components/announce-message.ts'
export { formatValue, parsePartialJson } from './components/format-json.ts'
export { isMessageActive, isStreamingText, isWaitingForContent } from './components/message-state.ts'
export type {
  CodeHighlighter,
  HighlightedToken,
  MarkdownComponents,
  MarkdownElement,
  MathRenderer,
} from './markdown/markdown-options.ts'
export {
  type SafeUrl,
  type SanitizeUrlOptions,
  sanitizeUrl,
  type UrlPurpose,
} from './markdown/sanitize-url.ts'
