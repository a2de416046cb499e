/**
 * The values every fidelity scenario is built from. Each test builds its scenario from these and
 * derives its expectations from the same values, so an SDK's final object is compared with what
 * the scenario said, never with what the mock happened to produce.
 */

/** Answer text: punctuation, a multi-byte degree sign and an emoji (split across chunks by the wire). */
export const answerText = 'Paris is sunny today: 18 °C with a light breeze. Enjoy your walk! 🌤️'

/** Reasoning (thinking) text, for the wires that carry reasoning. */
export const reasoningText =
  'The user asks about Paris. I should check the weather, then answer in one sentence.'

/** Two tool calls with nested, structured inputs (objects, arrays, numbers, booleans). */
export const weatherCall = {
  id: 'call_weather_1',
  name: 'get_weather',
  input: { city: 'Paris', unit: 'celsius', days: [1, 2, 3], include: { wind: true, humidity: false } },
} as const

export const timeCall = {
  id: 'call_time_2',
  name: 'get_time',
  input: { timezone: 'Europe/Paris', format: { hours: 24, seconds: false }, note: 'quote " and ünïcode' },
} as const

/** Token usage the scenario reports. */
export const usage = { inputTokens: 42, outputTokens: 17 } as const

/** The total a provider reports when it reports one: input + output. */
export const totalTokens = usage.inputTokens + usage.outputTokens

/** The message of every mid-stream provider error. */
export const midstreamMessage = 'The server had an error while processing your request. Sorry about that!'

/** A user prompt (its content does not matter to the mock). */
export const prompt = 'What is the weather in Paris?'

/** A tool's JSON Schema (mutable arrays: the SDKs' tool types do not take readonly ones). */
export interface ToolSchema {
  [key: string]: unknown
  type: 'object'
  properties: Record<
    string,
    { type: 'string' | 'number' | 'boolean' | 'array' | 'object'; [key: string]: unknown }
  >
  required: string[]
}

/** JSON Schemas for the two tools, for SDKs that want tool definitions in the request. */
export const weatherSchema: ToolSchema = {
  type: 'object',
  properties: {
    city: { type: 'string' },
    unit: { type: 'string' },
    days: { type: 'array', items: { type: 'number' } },
    include: { type: 'object', properties: { wind: { type: 'boolean' }, humidity: { type: 'boolean' } } },
  },
  required: ['city'],
}

export const timeSchema: ToolSchema = {
  type: 'object',
  properties: {
    timezone: { type: 'string' },
    format: { type: 'object', properties: { hours: { type: 'number' }, seconds: { type: 'boolean' } } },
    note: { type: 'string' },
  },
  required: ['timezone'],
}
