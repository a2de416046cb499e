/**
 * The playground's scenarios, built with `scenario()` from `@sluice/msw`, and the fault toggles
 * layered over them.
 *
 * @module
 */
import { type ScenarioBuilder, scenario } from '@sluice/msw'
import type { Faults, ScenarioId } from '../settings/url-state.ts'

/** What each scenario shows, for the picker. */
export const scenarioDescriptions: Record<ScenarioId, string> = {
  text: 'A short plain answer',
  markdown: 'Headings, lists, a table, a link and a code block',
  reasoning: 'Thinking first, then the answer',
  tools: 'A tool call whose input streams, its result, then the answer that uses it',
  long: 'About 2,000 tokens, fast: watch commits per second',
  slow: 'Long wait for the first byte, then 4 tokens/s',
  'error-midstream': 'The provider sends an error event halfway',
  'http-error': 'HTTP 429 before any byte',
  disconnect: 'The connection drops halfway',
  math: 'Inline and display formulas (KaTeX), and prices that are not math',
  suggestions: 'Follow-up chips after the answer (the stream’s, or the app’s own)',
}

const textAnswer =
  'Hello! I am a mocked assistant. Every word you see arrived as a streamed chunk, decoded from the exact wire format of the provider you picked.'

const markdownAnswer = `## Streaming, block by block

Sluice renders **markdown** while it streams: finished blocks are *memoized*, and only the growing tail re-renders.

- Incomplete syntax such as \`**bold\` is repaired at the tail
- Links go through an allow-list: [the Sluice docs](https://example.com/docs)
- Raw HTML is shown as text, never executed

| provider | framing |
|---|---|
| Anthropic | SSE |
| Ollama | NDJSON |

\`\`\`ts
const chat = createChat({ api: '/api/chat', protocol: 'anthropic' })
await chat.send('Hello')
\`\`\`

That is all there is to it.`

/** The `math` scenario's answer: inline (`$…$`, `\\(…\\)`) and display (`$$…$$`, `\\[…\\]`) formulas, currency, a table. */
export const mathAnswer = String.raw`## A little calculus

The area under $f(x) = x^2$ from $0$ to $1$ is

$$
\int_0^1 x^2\,dx = \left[\frac{x^3}{3}\right]_0^1 = \frac{1}{3}
$$

Euler's identity \(e^{i\pi} + 1 = 0\) links five constants, and the Gaussian integral is
\[\int_{-\infty}^{\infty} e^{-x^2}\,dx = \sqrt{\pi}.\]

| series | sum |
| --- | --- |
| $\sum_{k=1}^{n} k$ | $\frac{n(n+1)}{2}$ |
| $\sum_{k=0}^{\infty} \frac{1}{2^k}$ | $2$ |

Prices such as $5 and $10 stay text: they are not math.`

/** The `suggestions` scenario's answer. */
export const suggestionsAnswer =
  'Lisbon is the capital of Portugal, on the Tagus estuary. Pick a follow-up below, or ask your own.'

/**
 * The follow-ups the `suggestions` scenario's answer sends in its stream: a `data` part named
 * `suggestions`, which only the AI SDK UI stream (`data-suggestions`) and AG-UI (`CUSTOM`)
 * carry; on the other wires the playground offers its own (see `thread.tsx`).
 */
export const streamSuggestions = ['What is there to see in Lisbon?', 'And the capital of Spain?']

const reasoningThought =
  'The user asks how many r letters are in "strawberry". Spell it: s-t-r-a-w-b-e-r-r-y. The r letters are at positions 3, 8 and 9, so three.'

const reasoningAnswer = 'There are **three** r letters in "strawberry".'

const longParagraphs = [
  'Streaming interfaces live or die by what happens between two chunks.',
  'A chunk is a few bytes of a server-sent event, an NDJSON line or a WebSocket message; a token is the unit the model produced; a commit is one update of the store that React renders.',
  'Sluice decouples the three: bytes are read as fast as the page can process them, events are decoded in the order they arrived, and commits happen at most once per animation frame, however many tokens arrived in between.',
  'This is why the commits-per-second figure in the metrics panel stays near the display refresh rate while the tokens-per-second figure can be much higher.',
  'Each message is its own subscription: a token re-renders the message it belongs to, never the whole list.',
]

function longAnswer(): string {
  const sections: string[] = []
  for (let index = 1; index <= 12; index++) {
    sections.push(`### Part ${index}\n\n${longParagraphs.join(' ')}`)
  }
  return sections.join('\n\n')
}

/**
 * Who runs the tools: `app` for the provider wires (the model stops at the call, the app runs
 * it and sends the result back: two requests, two steps), `server` for the agent protocols
 * (the server runs it and streams the result inline, in one response).
 */
export type ToolRunner = 'app' | 'server'

/** The answer the model gives once it has the `get_weather` result. */
export const weatherAnswer = 'It is 21 °C and sunny in Paris.'

/** The content and timing of a scenario, without its faults (what Retry gets in "once" mode). */
function baseScenario(id: ScenarioId, tools: ToolRunner): ScenarioBuilder {
  const base = scenario().firstByte(250).tokensPerSecond(40).seed(7)
  switch (id) {
    case 'text':
      return base.text(textAnswer).usage({ inputTokens: 12, outputTokens: 28 })
    case 'markdown':
      return base.tokensPerSecond(60).text(markdownAnswer).usage({ inputTokens: 12, outputTokens: 140 })
    case 'reasoning':
      return base
        .reasoning(reasoningThought)
        .text(reasoningAnswer)
        .usage({ inputTokens: 14, outputTokens: 60, reasoningTokens: 42 })
    case 'tools': {
      const call = base
        .text('Let me check the weather in Paris.')
        .toolCall('get_weather', { city: 'Paris', unit: 'celsius' }, { id: 'call_weather_1' })
      if (tools === 'app') {
        // Step 2 is served when the request carries the call and its result (the agent loop).
        return call
          .usage({ inputTokens: 40, outputTokens: 24 })
          .step()
          .text(weatherAnswer)
          .usage({ inputTokens: 80, outputTokens: 12 })
      }
      return call
        .toolResult('call_weather_1', { city: 'Paris', temperature: 21, conditions: 'sunny' })
        .usage({ inputTokens: 40, outputTokens: 24 })
    }
    case 'long':
      return base.tokensPerSecond(400).text(longAnswer()).usage({ inputTokens: 12, outputTokens: 2000 })
    case 'slow':
      return base
        .firstByte(2000)
        .tokensPerSecond(4)
        .text(textAnswer)
        .usage({ inputTokens: 12, outputTokens: 28 })
    case 'error-midstream':
    case 'http-error':
    case 'disconnect':
      return base.text(textAnswer).usage({ inputTokens: 12, outputTokens: 28 })
    case 'suggestions':
      return base
        .text(suggestionsAnswer)
        .data('suggestions', streamSuggestions)
        .usage({ inputTokens: 12, outputTokens: 24 })
    case 'math':
      return base.tokensPerSecond(50).text(mathAnswer).usage({ inputTokens: 12, outputTokens: 160 })
    default: {
      const unknown: never = id
      throw new Error(
        `Unknown playground scenario ${JSON.stringify(unknown)}. Add it to scenarioIds and baseScenario.`,
      )
    }
  }
}

/**
 * The scenario to serve. `faulted: false` leaves out every fault (the scenario's own and the
 * toggles) but keeps the timing: the clean answer a Retry gets. `tools` says who runs the
 * tools (default `server`: one response with the result inline).
 *
 * @example
 * ```ts
 * buildScenario('disconnect', { tokensPerSecond: 10 }, true) // drops the connection after a few events
 * ```
 */
export function buildScenario(
  id: ScenarioId,
  faults: Faults,
  faulted: boolean,
  tools: ToolRunner = 'server',
): ScenarioBuilder {
  let built = baseScenario(id, tools)
  if (faults.latency !== undefined) built = built.firstByte(faults.latency)
  if (faults.tokensPerSecond !== undefined && faults.tokensPerSecond > 0)
    built = built.tokensPerSecond(faults.tokensPerSecond)
  if (!faulted) return built
  if (id === 'error-midstream') {
    built = built.errorMidstream('The model is overloaded. Please try again.', {
      code: 'overloaded_error',
      status: 529,
    })
  }
  if (id === 'http-error') built = built.httpError(429)
  if (id === 'disconnect') built = built.disconnectAfter(12)
  if (faults.httpError !== undefined && faults.httpError >= 400) built = built.httpError(faults.httpError)
  if (faults.disconnectAfter !== undefined && faults.disconnectAfter > 0)
    built = built.disconnectAfter(faults.disconnectAfter)
  return built
}
