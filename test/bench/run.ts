/**
 * `npm run bench`: how fast Sluice turns bytes into events, next to the floor of any SSE client
 * (eventsource-parser + JSON.parse on the same bytes, in the same run), and how tool-input
 * deltas scale. Prints figures; asserts nothing (speed is never a test).
 */
import { createParser } from 'eventsource-parser'
import type { ChatEvent } from '../../packages/core/src/events.ts'
import type { ToolCallPart } from '../../packages/core/src/message.ts'
import type { ProtocolId } from '../../packages/core/src/protocol.ts'
import { readChatEventBatches, readChatEvents } from '../../packages/core/src/read-chat-events.ts'
import { initialChatState, reduceChat } from '../../packages/core/src/reducer.ts'

const targetRatio = 1.5
const targetBytes = 20 * 1024 * 1024
const networkChunkSize = 64 * 1024
const encoder = new TextEncoder()

const words = [
  ' The',
  ' quick',
  ' brown',
  ' fox',
  ' jumps',
  ' over',
  ' the',
  ' lazy',
  ' dog',
  '.',
  ' Ünïcödé',
  ' 中文',
  ' 😀',
  '\n\n',
  ' **bold**',
  ' `code`',
]

/** Cut bytes into network-sized chunks, as a response body arrives. */
function toChunks(text: string): Uint8Array[] {
  const bytes = encoder.encode(text)
  const chunks: Uint8Array[] = []
  for (let offset = 0; offset < bytes.length; offset += networkChunkSize) {
    chunks.push(bytes.subarray(offset, offset + networkChunkSize))
  }
  return chunks
}

async function* fromChunks(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks
}

/** An OpenAI Chat Completions stream of about `size` bytes: text, then one tool call. */
function openaiChatBody(size: number, toolDeltas = 2000): string {
  const head =
    '{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion.chunk","created":1741569952,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_f9f4fb6dbf","choices":[{"index":0,"delta":'
  const tail = ',"logprobs":null,"finish_reason":null}],"usage":null}'
  const parts: string[] = [`data: ${head}{"role":"assistant","content":"","refusal":null}${tail}\n\n`]
  let length = 0
  const toolPart = toolDeltas * 200
  for (let index = 0; length < size - toolPart; index += 1) {
    const line = `data: ${head}{"content":${JSON.stringify(words[index % words.length])}}${tail}\n\n`
    parts.push(line)
    length += line.length
  }
  parts.push(
    `data: ${head}{"tool_calls":[{"index":0,"id":"call_DdmO9pD3xa9XTPNJ32zg2hcA","type":"function","function":{"name":"get_weather","arguments":""}}]}${tail}\n\n`,
  )
  const argumentPieces = ['{"', 'location', '":"', 'Paris', ', France', '","', 'notes', '":"']
  for (let index = 0; index < toolDeltas; index += 1) {
    const piece = index < argumentPieces.length ? argumentPieces[index] : ' cloudy'
    parts.push(
      `data: ${head}{"tool_calls":[{"index":0,"function":{"arguments":${JSON.stringify(piece)}}}]}${tail}\n\n`,
    )
  }
  parts.push(`data: ${head}{"tool_calls":[{"index":0,"function":{"arguments":"\\"}"}}]}${tail}\n\n`)
  parts.push(`data: ${head}{},"logprobs":null,"finish_reason":"tool_calls"}],"usage":null}\n\n`)
  parts.push('data: [DONE]\n\n')
  return parts.join('')
}

/** An Anthropic Messages stream of about `size` bytes: text, then one tool use. */
function anthropicBody(size: number, toolDeltas = 2000): string {
  const event = (type: string, data: string) => `event: ${type}\ndata: ${data}\n\n`
  const parts: string[] = [
    event(
      'message_start',
      '{"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","stop_sequence":null,"usage":{"input_tokens":472,"output_tokens":2},"content":[],"stop_reason":null}}',
    ),
    event(
      'content_block_start',
      '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
    ),
    event('ping', '{"type": "ping"}'),
  ]
  let length = 0
  const toolPart = toolDeltas * 120
  for (let index = 0; length < size - toolPart; index += 1) {
    const line = event(
      'content_block_delta',
      `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${JSON.stringify(words[index % words.length])}}}`,
    )
    parts.push(line)
    length += line.length
  }
  parts.push(event('content_block_stop', '{"type":"content_block_stop","index":0}'))
  parts.push(
    event(
      'content_block_start',
      '{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}',
    ),
  )
  const pieces = ['{"location": "San Fra', 'ncisco, CA", "notes": "']
  for (let index = 0; index < toolDeltas; index += 1) {
    const piece = pieces[index] ?? ' cloudy'
    parts.push(
      event(
        'content_block_delta',
        `{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":${JSON.stringify(piece)}}}`,
      ),
    )
  }
  parts.push(
    event(
      'content_block_delta',
      '{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\\"}"}}',
    ),
  )
  parts.push(event('content_block_stop', '{"type":"content_block_stop","index":1}'))
  parts.push(
    event(
      'message_delta',
      '{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}',
    ),
  )
  parts.push(event('message_stop', '{"type":"message_stop"}'))
  return parts.join('')
}

/** The floor: decode the bytes, split SSE with eventsource-parser, JSON.parse every payload. */
function floor(chunks: readonly Uint8Array[]): number {
  let parsed = 0
  const decoder = new TextDecoder()
  const parser = createParser({
    onEvent(message) {
      if (message.data === '[DONE]') return
      JSON.parse(message.data)
      parsed += 1
    },
  })
  for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }))
  parser.feed(decoder.decode())
  return parsed
}

async function sluiceEvents(chunks: readonly Uint8Array[], protocol: ProtocolId): Promise<number> {
  let count = 0
  for await (const _event of readChatEvents(fromChunks(chunks), protocol)) count += 1
  return count
}

async function sluiceBatches(chunks: readonly Uint8Array[], protocol: ProtocolId): Promise<number> {
  let count = 0
  for await (const batch of readChatEventBatches(fromChunks(chunks), protocol)) count += batch.length
  return count
}

async function sluiceReduced(chunks: readonly Uint8Array[], protocol: ProtocolId): Promise<number> {
  let state = initialChatState
  let count = 0
  for await (const batch of readChatEventBatches(fromChunks(chunks), protocol)) {
    state = reduceChat(state, batch)
    count += batch.length
  }
  return count
}

/** CPU time of this process in milliseconds: steadier than wall time on a shared machine. */
function cpuTime(): number {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1000
}

/**
 * The best CPU time of each contender over `rounds` rounds (after one warm-up round), run in
 * turn within each round so that load from other processes hits them alike.
 */
async function bestTimes(rounds: number, contenders: readonly (() => unknown)[]): Promise<number[]> {
  for (const run of contenders) await run()
  const fastest = contenders.map(() => Number.POSITIVE_INFINITY)
  for (let round = 0; round < rounds; round += 1) {
    for (const [index, run] of contenders.entries()) {
      const start = cpuTime()
      await run()
      fastest[index] = Math.min(fastest[index] ?? Number.POSITIVE_INFINITY, cpuTime() - start)
    }
  }
  return fastest
}

function megabytesPerSecond(bytes: number, milliseconds: number): string {
  return `${(bytes / 1e6 / (milliseconds / 1000)).toFixed(1)} MB/s`.padStart(11)
}

async function throughput(name: string, protocol: ProtocolId, body: string): Promise<boolean> {
  const chunks = toChunks(body)
  const bytes = chunks.reduce((total, chunk) => total + chunk.length, 0)
  const frames = floor(chunks)
  const events = await sluiceEvents(chunks, protocol)
  const [floorTime = 0, eventsTime = 0, batchesTime = 0, reducedTime = 0] = await bestTimes(9, [
    () => floor(chunks),
    () => sluiceEvents(chunks, protocol),
    () => sluiceBatches(chunks, protocol),
    () => sluiceReduced(chunks, protocol),
  ])
  const ratio = eventsTime / floorTime
  const met = ratio <= targetRatio
  console.log(`\n${name}: ${(bytes / 1e6).toFixed(1)} MB, ${frames} SSE events → ${events} ChatEvents`)
  console.log(
    `  eventsource-parser + JSON.parse (floor)     ${megabytesPerSecond(bytes, floorTime)}  ${floorTime.toFixed(0)} ms`,
  )
  console.log(
    `  readChatEvents (one event at a time)        ${megabytesPerSecond(bytes, eventsTime)}  ${eventsTime.toFixed(0)} ms`,
  )
  console.log(
    `  readChatEventBatches                        ${megabytesPerSecond(bytes, batchesTime)}  ${batchesTime.toFixed(0)} ms`,
  )
  console.log(
    `  readChatEventBatches + reduceChat per batch ${megabytesPerSecond(bytes, reducedTime)}  ${reducedTime.toFixed(0)} ms`,
  )
  console.log(
    `  ratio readChatEvents / floor: ${ratio.toFixed(2)}x (target ≤ ${targetRatio}x: ${met ? 'met' : 'NOT met'})`,
  )
  return met
}

/** An OpenAI Chat stream whose tool input arrives one character per delta. */
function oneCharacterToolBody(deltas: number): string {
  const argumentsText = `{"text":"${'a'.repeat(Math.max(0, deltas - 11))}"}`.padEnd(deltas, ' ')
  const chunk = (delta: string) =>
    `data: {"id":"c","choices":[{"index":0,"delta":${delta},"finish_reason":null}]}\n\n`
  const parts = [
    chunk(
      '{"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"write","arguments":""}}]}',
    ),
  ]
  for (const character of argumentsText) {
    parts.push(chunk(`{"tool_calls":[{"index":0,"function":{"arguments":${JSON.stringify(character)}}}]}`))
  }
  parts.push(
    'data: {"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}\n\ndata: [DONE]\n\n',
  )
  return parts.join('')
}

async function toolInputScaling(): Promise<void> {
  console.log(
    '\nTool input, one character per delta, readChatEvents + reduceChat after every event (openai-chat):',
  )
  // Warm the JIT on a mid-sized run first, so the smallest size does not pay for compilation.
  for await (const _event of readChatEvents(
    fromChunks(toChunks(oneCharacterToolBody(4000))),
    'openai-chat',
  )) {
    // drain
  }
  for (const deltas of [1000, 4000, 16000]) {
    const chunks = toChunks(oneCharacterToolBody(deltas))
    let finalState = initialChatState
    const [time = 0] = await bestTimes(5, [
      async () => {
        let state = initialChatState
        for await (const event of readChatEvents(fromChunks(chunks), 'openai-chat')) {
          state = reduceChat(state, [event] as ChatEvent[])
        }
        finalState = state
      },
    ])
    const message = Object.values(finalState.messages)[0]
    const call = message?.parts.find((part): part is ToolCallPart => part.type === 'tool-call')
    const parsed = call?.state === 'input-available' && typeof call.input === 'object'
    console.log(
      `  ${String(deltas).padStart(6)} deltas: ${time.toFixed(1).padStart(7)} ms total, ${((time * 1000) / deltas).toFixed(2).padStart(6)} µs per delta${parsed ? '' : '  (tool input NOT parsed at the end!)'}`,
    )
  }
}

console.log(
  `Sluice stream benchmark (Node ${process.version}; best CPU time of 9 interleaved runs; ${networkChunkSize / 1024} KiB chunks)`,
)
const openaiMet = await throughput('OpenAI Chat Completions', 'openai-chat', openaiChatBody(targetBytes))
const anthropicMet = await throughput('Anthropic Messages', 'anthropic', anthropicBody(targetBytes))
await toolInputScaling()
console.log(
  `\nThroughput target (within ${targetRatio}x of the floor): ${openaiMet && anthropicMet ? 'met' : 'NOT met'}`,
)
