/**
 * The chat controller and its transports.
 *
 * @example
 * ```ts
 * import { createChat } from '@sluice/core'
 * const chat = createChat({ api: '/api/chat', protocol: 'ollama' })
 * await chat.send('Hello')
 * ```
 * @module
 */
export {
  type Chat,
  type ChatOptions,
  createChat,
  type DefaultRequestFile,
  type DefaultRequestMessage,
  type DefaultRequestToolCall,
  defaultRequestBody,
  type SendOptions,
} from './create-chat.ts'
export { createEventBatcher, type EventBatcher, type EventBatcherOptions } from './event-batcher.ts'
export {
  createEventSourceTransport,
  type EventSourceConstructor,
  type EventSourceLike,
  type EventSourceTransportOptions,
} from './event-source-transport.ts'
export { createFetchTransport, type FetchTransportOptions } from './fetch-transport.ts'
export { createManualScheduler, defaultFrameScheduler, type FrameScheduler } from './frame-scheduler.ts'
export { createMetricsRecorder, type MetricsRecorder } from './message-metrics.ts'
export {
  type AnthropicFileBlock,
  type FileSource,
  fileSource,
  type GeminiFilePart,
  type OpenAIChatContentPart,
  type OpenAIResponsesContentPart,
} from './provider-files.ts'
export {
  type AnthropicRequestBlock,
  type AnthropicRequestMessage,
  type OpenAIChatRequestMessage,
  toAnthropicRequest,
  toOpenAIChatMessages,
} from './provider-messages.ts'
export {
  type AISDKRequestMessage,
  type AISDKRequestPart,
  type GeminiRequestContent,
  type GeminiRequestPart,
  type OllamaRequestMessage,
  type OpenAIResponsesInputItem,
  toAISDKMessages,
  toGeminiRequest,
  toOllamaMessages,
  toOpenAIResponsesRequest,
} from './provider-requests.ts'
export {
  messageStreamId,
  type ResumeOptions,
  shouldFollowOnConnect,
  streamIdMetadataKey,
} from './resume-metadata.ts'
export { createResumableTransport, type ResumableTransportOptions } from './resume-stream.ts'
export { defaultRetryOptions, type RetryOptions, retryableStatuses, retryDelay } from './retry-policy.ts'
export {
  createSocketIoTransport,
  defaultEventFromFrame,
  defaultFrameFromEvent,
  type SocketIoFactory,
  type SocketIoSocketLike,
  type SocketIoTransportOptions,
} from './socketio-transport.ts'
export { lastAssistantMessageIsCompleteWithToolCalls } from './tool-loop.ts'
export {
  ChatRequestError,
  type ChatRequestErrorKind,
  type RequestTrigger,
  type Transport,
  type TransportObserver,
  type TransportRequest,
} from './transport.ts'
export {
  createFrameSocketTransport,
  createWebSocketTransport,
  type FrameConnection,
  type FrameConnectionHandlers,
  type FrameConnector,
  type SocketCancel,
  type SocketHeartbeatOptions,
  type SocketRouting,
  type SocketTransport,
  type SocketTransportOptions,
  type WebSocketConstructor,
  type WebSocketLike,
  type WebSocketTransportOptions,
  webSocketConnector,
} from './websocket-transport.ts'
