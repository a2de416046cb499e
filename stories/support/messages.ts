/**
 * Messages in every state, written out as the reducer leaves them, so the static stories show
 * exactly what a user sees at that point of a stream.
 */
import type { Message, MessagePart, ToolCallPart, ToolCallState } from '@sluice/react'

type ReasoningPart = Extract<MessagePart, { type: 'reasoning' }>

/** A fixed clock for the stories: durations in labels ("Thought for 4 s") never depend on when they run. */
export const storyTime = Date.UTC(2025, 0, 15, 9, 30, 0)

/** A message of `role` with `parts`, in `status`. */
export function message(
  id: string,
  role: Message['role'],
  status: Message['status'],
  parts: MessagePart[],
  extra: Partial<Omit<Message, 'id' | 'role' | 'status' | 'parts'>> = {},
): Message {
  return { id, role, status, parts, ...extra }
}

/** A text part; `streaming` while it still grows. */
export function textPart(text: string, state: 'streaming' | 'done' = 'done', id = 'text-1'): MessagePart {
  return { type: 'text', id, text, state }
}

/** A reasoning part that took `seconds` when done. */
export function reasoningPart(text: string, state: 'streaming' | 'done', seconds = 4): ReasoningPart {
  return state === 'streaming'
    ? { type: 'reasoning', id: 'reasoning-1', text, state, startedAt: storyTime }
    : {
        type: 'reasoning',
        id: 'reasoning-1',
        text,
        state,
        startedAt: storyTime,
        endedAt: storyTime + seconds * 1000,
      }
}

const weatherInput = { city: 'Paris', unit: 'celsius' }
const weatherInputText = JSON.stringify(weatherInput)

/**
 * A `get_weather` call in `state`, with what that state has: half the input while it streams,
 * the whole input after, the output or the error at the end.
 */
export function toolCallPart(state: ToolCallState, toolCallId = `call_${state}`): ToolCallPart {
  const base = { type: 'tool-call' as const, toolCallId, toolName: 'get_weather' }
  switch (state) {
    case 'input-streaming':
      // Cut inside the second value, as a stream leaves it.
      return { ...base, state, inputText: weatherInputText.slice(0, 28) }
    case 'input-available':
      return { ...base, state, inputText: weatherInputText, input: weatherInput }
    case 'running':
      // No start time: the elapsed time counts from when the card appears, so it reads "Running 0 s".
      return { ...base, state, inputText: weatherInputText, input: weatherInput }
    case 'output-available':
      return {
        ...base,
        state,
        inputText: weatherInputText,
        input: weatherInput,
        output: { temperature: 18, conditions: 'Light rain' },
        startedAt: storyTime,
        endedAt: storyTime + 2000,
      }
    case 'output-error':
      return {
        ...base,
        state,
        inputText: weatherInputText,
        input: weatherInput,
        errorText: 'The weather service timed out after 10 s.',
      }
    case 'cancelled':
      return { ...base, state, inputText: weatherInputText.slice(0, 20) }
    default: {
      const unknownState: never = state
      throw new Error(`toolCallPart: no story data for the tool state "${String(unknownState)}".`)
    }
  }
}

/** The tool-call states in their lifecycle order. */
export const toolCallStates: readonly ToolCallState[] = [
  'input-streaming',
  'input-available',
  'running',
  'output-available',
  'output-error',
  'cancelled',
]

/** Markdown with every block the renderer knows: headings, lists, a table, code, quotes, links. */
export const longMarkdown = `# Streaming responses, explained

Large language models produce text **one token at a time**. Instead of waiting for the whole
answer, a client can render each token as it arrives, which makes the first words appear in
*well under a second*.

## How the bytes travel

1. The client sends a \`POST\` request with \`stream: true\`.
2. The server answers with \`text/event-stream\` and keeps the connection open.
3. Every event carries a small JSON delta; the last one says why the model stopped.

> Server-sent events are plain text: \`data:\` lines separated by a blank line.
> They pass through most proxies untouched.

### Providers at a glance

| Provider | Framing | End of stream |
| --- | --- | --- |
| OpenAI Chat Completions | SSE | \`data: [DONE]\` |
| Anthropic Messages | SSE with event names | \`message_stop\` |
| Ollama | NDJSON | \`"done": true\` |
| Gemini | SSE | the last chunk's \`finishReason\` |

## Reading a stream in TypeScript

\`\`\`ts
const response = await fetch('/v1/chat/completions', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'gpt-4o', stream: true, messages }),
})
for await (const event of readChatEvents(response.body!, 'openai-chat')) {
  if (event.type === 'text-delta') output.append(event.delta)
}
\`\`\`

## Things that go wrong

- **The user stops the answer.** The request is aborted and the partial text stays.
- **The provider fails mid-stream.** An error event arrives after some text:
  - show the provider's message,
  - keep what was written,
  - offer to try again.
- **The connection drops.** The answer is *interrupted*; it can be retried, or resumed when
  the server sent event ids.

- [x] Render tokens as they arrive
- [x] Keep partial answers
- [ ] Ship the dark theme

Read more in the [MDN guide to server-sent events](https://developer.mozilla.org/en-US/docs/Web/API/Server-sent_events)
or the ~~old~~ current [WHATWG specification](https://html.spec.whatwg.org/multipage/server-sent-events.html).

---

That is all: *stream early, stream often*.
`

/** `count` messages alternating user and assistant, all complete, with distinct text. */
export function longThread(count: number): Message[] {
  const messages: Message[] = []
  for (let index = 0; index < count; index++) {
    const role = index % 2 === 0 ? 'user' : 'assistant'
    const text =
      role === 'user'
        ? `Question ${index + 1}: what happened on day ${Math.floor(index / 2) + 1}?`
        : `Answer ${index + 1}: on day ${Math.floor(index / 2) + 1} the pipeline processed **${(index * 37) % 1000}** requests.`
    messages.push(message(`message-${index + 1}`, role, 'complete', [textPart(text)]))
  }
  return messages
}
