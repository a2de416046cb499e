import { defaultScenario, openai } from '@sluice/msw'
import { setupServer } from 'msw/node'

// `POST */v1/chat/completions` on any origin: the request app/api/chat/route.ts makes.
export const server = setupServer(openai.chatCompletions(defaultScenario()))
