/**
 * The chat components: headless parts with `data-*` state attributes, composed into
 * ready-made `ChatMessage`, `ToolCallCard`, `TypingIndicator`, `MessageList` and `Composer`.
 * Style them with your own CSS or import `@sluice/react/theme.css`.
 *
 * @example
 * ```tsx
 * import { ChatMessage, Composer, MessageList } from '@sluice/react'
 * import '@sluice/react/theme.css'
 * ```
 * @module
 */
export { announceMessage } from './announce-message.ts'
export * from './attachments/index.ts'
export {
  type BranchDirection,
  BranchPicker,
  type BranchPickerButtonProps,
  BranchPickerCount,
  type BranchPickerHost,
  BranchPickerHostContext,
  type BranchPickerLabels,
  BranchPickerNext,
  BranchPickerPrevious,
  BranchPickerRoot,
  type BranchPickerRootProps,
  useBranchPickerHost,
} from './branch-picker.tsx'
export { ChatLayout, type ChatLayoutProps } from './chat-layout.tsx'
export { ChatMessage, type ChatMessageProps } from './chat-message.tsx'
export { ChatMessageActions, type ChatMessageActionsProps } from './chat-message-actions.tsx'
export { ChatMessageContent, type ChatMessageContentProps } from './chat-message-content.tsx'
export {
  ChatMessageContext,
  type ChatMessageContextValue,
  useChatMessageContext,
} from './chat-message-context.ts'
export { ChatMessageEditor, type ChatMessageEditorProps } from './chat-message-editor.tsx'
export { ChatMessageRoot, type ChatMessageRootProps } from './chat-message-root.tsx'
export { ChatMessageStatus, type ChatMessageStatusProps } from './chat-message-status.tsx'
export { ChatMessageUsage, type ChatMessageUsageProps, hasUsage } from './chat-message-usage.tsx'
export { ChatQueue, type ChatQueueProps, useChatQueue } from './chat-queue.tsx'
export { ChatSuggestions, type ChatSuggestionsProps, useSuggestions } from './chat-suggestions.tsx'
export { Composer, type ComposerProps } from './composer.tsx'
export {
  FeedbackButtons,
  type FeedbackButtonsLabels,
  type FeedbackButtonsProps,
  type FeedbackValue,
} from './feedback-buttons.tsx'
export { FileLink, type FileLinkProps, FilePartView, type FilePartViewProps } from './file-part.tsx'
export { formatValue, parsePartialJson } from './format-json.ts'
export {
  MessageList,
  type MessageListProps,
  type MessageRenderer,
  type MessageRowContext,
} from './message-list.tsx'
export {
  type MessageMarkdownOptions,
  MessagePartView,
  type MessagePartViewProps,
  type PartRenderer,
  SourceLink,
} from './message-part-view.tsx'
export { isMessageActive, isStreamingText, isWaitingForContent } from './message-state.ts'
export {
  ChatMessageBranches,
  type ChatMessageBranchesProps,
  ChatMessageFeedback,
  type ChatMessageFeedbackProps,
} from './message-versions.tsx'
export {
  type QueuedItem,
  QueuedMessages,
  type QueuedMessagesLabels,
  type QueuedMessagesProps,
} from './queued-messages.tsx'
export { Reasoning, type ReasoningProps, reasoningLabel } from './reasoning.tsx'
export { StreamingCaret } from './streaming-caret.tsx'
export { Suggestions, type SuggestionsProps } from './suggestions.tsx'
export {
  ToolCallCard,
  type ToolCallCardProps,
  type ToolRenderer,
  type ToolRendererProps,
  type ToolRenderers,
  toolStateLabel,
} from './tool-call-card.tsx'
export { TypingIndicator, type TypingIndicatorProps } from './typing-indicator.tsx'
export { useReducedMotion } from './use-reduced-motion.ts'
