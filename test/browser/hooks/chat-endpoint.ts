import { HttpResponse, http } from 'msw'
import { type ControlledStream, controlledStream, sseHeaders, worker } from './mock-stream.ts'

/** A mocked streaming endpoint: records request bodies, answers with what the test queued. */
export interface ChatEndpoint {
  /** The JSON bodies received, in order. */
  requests: { body: { messages: { role: string; content: string }[] } & Record<string, unknown> }[]
  /** Queue a response for the next request. */
  respond(response: () => Response): void
  /** Queue a streamed SSE response the test writes to. */
  stream(): ControlledStream
}

export function chatEndpoint(path = '/api/chat'): ChatEndpoint {
  const requests: ChatEndpoint['requests'] = []
  const responders: (() => Response)[] = []
  worker.use(
    http.post(path, async ({ request }) => {
      requests.push({ body: (await request.json()) as ChatEndpoint['requests'][number]['body'] })
      const responder = responders.shift()
      if (responder === undefined) {
        return HttpResponse.json(
          { error: { message: `The test queued no response for request ${requests.length}.` } },
          { status: 418 },
        )
      }
      return responder()
    }),
  )
  return {
    requests,
    respond(response) {
      responders.push(response)
    },
    stream() {
      const stream = controlledStream()
      responders.push(() => new HttpResponse(stream.body, { headers: sseHeaders }))
      return stream
    },
  }
}
