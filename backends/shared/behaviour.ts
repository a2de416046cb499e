/**
 * How a reference backend behaves for one request: how fast it streams, what it answers, and
 * which fault it plays. Every server reads the same knobs, from (lowest to highest priority) its
 * start options, `POST /control`, the request URL's query string, a `sluice` object in the
 * request body (or the first WebSocket frame), and a `[[key=value …]]` directive in the last user
 * message (so one message of a conversation can be slow or fail without touching the others).
 *
 * @module
 */

/** Which answer a backend plays. */
export type AnswerScenario = 'text' | 'tools' | 'reasoning'

/** The knobs of one request (see `backends/README.md` for the wire names). */
export interface BackendBehaviour {
  /** Milliseconds between two chunks. */
  delay: number
  /** Milliseconds before the first chunk (0: the first chunk is sent at once). */
  firstDelay: number
  /** Milliseconds a tool runs (between its start and its result, where a seed streams both); default `delay`. */
  toolDelay?: number
  /** Answer length in words when no `text` is given. */
  words: number
  /** The exact answer text, cut into word chunks. */
  text?: string
  /** Send the protocol's error after this many chunks. */
  failAfter?: number
  /** Drop the connection (no close frame, no terminal event) after this many chunks. */
  dieAfter?: number
  /** Keep generating after a cancel (what a broken backend does), logging each chunk sent after it. */
  ignoreCancel: boolean
  scenario: AnswerScenario
  /** HTTP framing of the streaming endpoints. */
  framing: 'sse' | 'ndjson'
  /** Seed 003's serde tagging: `{"type":"TextDelta",…}`, `{"TextDelta":{…}}` or `{"type":"text_delta",…}`. */
  tagging: 'internal' | 'external' | 'snake'
  /** Seed 000: `json` answers a streaming request with one non-streaming JSON body (the fallback). */
  mode: 'stream' | 'json'
}

/** The defaults: a 24-word text answer, 20 ms apart, first chunk at once. */
export const defaultBehaviour: BackendBehaviour = {
  delay: 20,
  firstDelay: 0,
  words: 24,
  ignoreCancel: false,
  scenario: 'text',
  framing: 'sse',
  tagging: 'internal',
  mode: 'stream',
}

/** Raw knob values as they come from a query string, a JSON object or a directive. */
export type BehaviourSource = Readonly<Record<string, unknown>>

const maximumDelay = 60_000
const maximumWords = 20_000
const maximumTextLength = 200_000

function numberIn(value: unknown, maximum: number): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN
  if (!Number.isFinite(number) || number < 0) return undefined
  return Math.min(Math.floor(number), maximum)
}

function flag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (value === '1' || value === 'true' || value === '' || value === 1) return true
  if (value === '0' || value === 'false' || value === 0) return false
  return undefined
}

function oneOf<Value extends string>(value: unknown, allowed: readonly Value[]): Value | undefined {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as Value)
    : undefined
}

/** Own properties only: a wire object named `__proto__` or `constructor` is just a key. */
function own(source: BehaviourSource, key: string): unknown {
  return Object.hasOwn(source, key) ? source[key] : undefined
}

/**
 * Lay one source of knobs over a behaviour. Unknown keys and malformed values are ignored, so a
 * typo never breaks a request; numbers are capped (a backend never sleeps longer than a minute).
 *
 * @example
 * ```ts
 * applyBehaviour(defaultBehaviour, { delay: '200', fail_after: '3' }) // { ...defaults, delay: 200, failAfter: 3 }
 * ```
 */
export function applyBehaviour(base: BackendBehaviour, source: BehaviourSource): BackendBehaviour {
  const next: BackendBehaviour = { ...base }
  const delay = numberIn(own(source, 'delay'), maximumDelay)
  if (delay !== undefined) next.delay = delay
  const firstDelay = numberIn(own(source, 'first_delay'), maximumDelay)
  if (firstDelay !== undefined) next.firstDelay = firstDelay
  const toolDelay = numberIn(own(source, 'tool_delay'), maximumDelay)
  if (toolDelay !== undefined) next.toolDelay = toolDelay
  const words = numberIn(own(source, 'words'), maximumWords)
  if (words !== undefined && words > 0) next.words = words
  const text = own(source, 'text')
  if (typeof text === 'string' && text !== '') next.text = text.slice(0, maximumTextLength)
  const failAfter = numberIn(own(source, 'fail_after'), maximumWords)
  if (failAfter !== undefined) next.failAfter = failAfter
  const dieAfter = numberIn(own(source, 'die_after'), maximumWords)
  if (dieAfter !== undefined) next.dieAfter = dieAfter
  const ignoreCancel = flag(own(source, 'ignore_cancel'))
  if (ignoreCancel !== undefined) next.ignoreCancel = ignoreCancel
  const scenario = oneOf(own(source, 'scenario'), ['text', 'tools', 'reasoning'] as const)
  if (scenario !== undefined) next.scenario = scenario
  const framing = oneOf(own(source, 'framing'), ['sse', 'ndjson'] as const)
  if (framing !== undefined) next.framing = framing
  const tagging = oneOf(own(source, 'tagging'), ['internal', 'external', 'snake'] as const)
  if (tagging !== undefined) next.tagging = tagging
  const mode = oneOf(own(source, 'mode'), ['stream', 'json'] as const)
  if (mode !== undefined) next.mode = mode
  return next
}

/**
 * Knobs from a query string (`?delay=200&fail_after=3`), as a null-prototype record.
 *
 * @example
 * ```ts
 * queryBehaviour('/stream?delay=200').delay // '200'
 * ```
 */
export function queryBehaviour(url: string): BehaviourSource {
  const source: Record<string, unknown> = Object.create(null)
  const query = new URL(url, 'http://127.0.0.1').searchParams
  for (const [key, value] of query) source[key] = value
  return source
}

const directivePattern = /\[\[([^\]]{0,500})\]\]/

/**
 * Knobs from a `[[delay=200 fail_after=3]]` directive in a user message.
 *
 * @example
 * ```ts
 * directiveBehaviour('[[scenario=tools]] What is the weather?').scenario // 'tools'
 * ```
 */
export function directiveBehaviour(text: string): BehaviourSource {
  const source: Record<string, unknown> = Object.create(null)
  const match = directivePattern.exec(text)
  if (match === null) return source
  for (const pair of match[1]!.trim().split(/\s+/)) {
    const separator = pair.indexOf('=')
    if (separator === -1) source[pair] = '1'
    else source[pair.slice(0, separator)] = pair.slice(separator + 1)
  }
  return source
}

/** A request's knobs, merged from every source in priority order. */
export function resolveBehaviour(
  base: BackendBehaviour,
  sources: readonly (BehaviourSource | undefined)[],
): BackendBehaviour {
  let behaviour = base
  for (const source of sources) if (source !== undefined) behaviour = applyBehaviour(behaviour, source)
  return behaviour
}

const vocabulary = [
  'Sluice',
  'streams',
  'every',
  'token',
  'of',
  'this',
  'answer',
  'from',
  'a',
  'reference',
  'backend',
  'that',
  'follows',
  'its',
  'seed',
  'document',
  'word',
  'for',
  'word,',
  'ünïcödé',
  'and',
  '中文',
  'included',
  '😀.',
]

/**
 * The answer's text chunks: `text` cut before each space (so the chunks join back to it exactly),
 * or `words` words of a fixed vocabulary. Tests compute the expected answer with this function.
 *
 * @example
 * ```ts
 * answerChunks({ ...defaultBehaviour, text: 'Hello there world' }) // ['Hello', ' there', ' world']
 * answerChunks({ ...defaultBehaviour, words: 3 }) // ['Sluice', ' streams', ' every']
 * ```
 */
export function answerChunks(behaviour: Pick<BackendBehaviour, 'text' | 'words'>): string[] {
  if (behaviour.text !== undefined) return behaviour.text.split(/(?=\s)/)
  const chunks: string[] = []
  for (let index = 0; index < behaviour.words; index++) {
    const word = vocabulary[index % vocabulary.length]!
    chunks.push(index === 0 ? word : ` ${word}`)
  }
  return chunks
}

/**
 * The whole answer text a behaviour produces.
 *
 * @example
 * ```ts
 * answerText({ words: 2 }) // 'Sluice streams'
 * ```
 */
export function answerText(behaviour: Pick<BackendBehaviour, 'text' | 'words'>): string {
  return answerChunks(behaviour).join('')
}
