// The relay of @sluice/server as a Next.js route handler. The browser posts the conversation
// (useStreamingChat's default body); the handler adds the model and the key, which never leave
// the server, sends the conversation to the provider in its own request shape and streams the
// answer back as SSE (OpenAI Chat Completions, what `protocol: 'openai-chat'` reads), keeping it in
// a stream store: GET resumes it after a reload, DELETE (Stop) aborts the provider's request.
import { createChatHandler } from '@sluice/server'

const handler = createChatHandler({
  provider: 'openai-chat',
  baseURL: process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1',
  apiKey: process.env.OPENAI_API_KEY,
  model: process.env.OPENAI_MODEL ?? 'gpt-4o-mini',
  // One Node.js process: the default in-memory store. Several instances: createRedisStreamStore.
})

export { handler as DELETE, handler as GET, handler as POST }

// Streams are answered as they come, never cached or prerendered.
export const dynamic = 'force-dynamic'
