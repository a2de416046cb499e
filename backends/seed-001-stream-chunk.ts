/**
 * Seed 001's reference backend: the Rust agent server's `StreamChunk` stream, literally.
 *
 * Each token is one `StreamChunk { text, is_complete, token_count, metadata }` (serde: `metadata`
 * is an `Option`, so it is `null` when absent), `token_count` cumulative "for progress tracking",
 * `metadata` carrying "timing, token IDs"; the final chunk has `is_complete: true` ("Final chunk
 * sent with is_complete: true when done"). The document does not say how an `AgentError` travels;
 * this backend sends `{"error": "<message>"}` as the last frame (our choice, noted in the README).
 * A cancel is the connection closing (HTTP) or a `{"type":"cancel"}` frame or close (WebSocket).
 *
 * `POST /stream` (SSE, or NDJSON with `?framing=ndjson`) and `ws://…/ws`.
 *
 * @example
 * ```ts
 * const backend = await startSeed001Server({ port: 0 })
 * // POST `${backend.httpUrl}/stream` {"messages":[{"role":"user","content":"Hi"}]}
 * ```
 * @module
 */
import { answerChunks } from './shared/behaviour.ts'
import {
  type ReferenceServerOptions,
  type RunningBackend,
  type SeedDefinition,
  startReferenceServer,
} from './shared/reference-server.ts'

/** One `StreamChunk` as serde writes it. */
export interface StreamChunk {
  text: string
  is_complete: boolean
  token_count: number
  metadata: { generation_time_ms: number; token_ids: number[] } | null
}

/** A stable fake token id per chunk (a real tokenizer's ids are just numbers to the client). */
function tokenId(text: string): number {
  let hash = 7
  for (const character of text) hash = (hash * 31 + (character.codePointAt(0) ?? 0)) % 50_000
  return hash
}

/** Seed 001's frames. */
export const seed001: SeedDefinition = {
  seed: 'seed-001',
  httpPaths: ['/stream'],
  websocket: true,
  plan(request) {
    const chunks = answerChunks(request.behaviour)
    let count = 0
    const frames: (() => StreamChunk)[] = chunks.map((text) => () => {
      count++
      return {
        text,
        is_complete: false,
        token_count: count,
        metadata: { generation_time_ms: Date.now() - request.startedAt, token_ids: [tokenId(text)] },
      }
    })
    frames.push(() => ({ text: '', is_complete: true, token_count: count, metadata: null }))
    return {
      frames,
      failFrames: () => [
        { error: 'Generation failed: the model worker stopped (told to fail by the test).' },
      ],
    }
  },
}

/**
 * Start seed 001's backend.
 *
 * @example
 * ```ts
 * const backend = await startSeed001Server({ port: 8701, echo: true })
 * ```
 */
export function startSeed001Server(options: ReferenceServerOptions = {}): Promise<RunningBackend> {
  return startReferenceServer(seed001, options)
}
