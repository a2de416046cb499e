import { defaultScenario, openai } from '@sluice/msw'
import { setupWorker } from 'msw/browser'

// `/api/chat` answered the way OpenAI Chat Completions streams (the body says `stream: true`),
// so the quick start streams without a server or a key.
export const worker = setupWorker(openai.chatCompletions(defaultScenario(), { path: '/api/chat' }))
