/**
 * The one HTTP handler behind every provider and agent mock: record the call, decide what the
 * request asks for, encode the scenario with the protocol's encoder and stream it.
 *
 * @module
 */
import type { EncoderOptions, Framing, ProtocolId } from '@sluice/core'
import { encoders } from '@sluice/core/encoders'
import { type HttpHandler, HttpResponse, http, type PathParams } from 'msw'
import { createBodyStream, sleep } from './body-stream.ts'
import {
  attachRecorder,
  type CallRecorder,
  createCallLog,
  headersRecord,
  readRequestBody,
} from './call-recorder.ts'
import { compileScenario } from './compile-scenario.ts'
import { type ConversationFormat, conversationStep, type StepSelection } from './conversation-step.ts'
import { isReplaySource, type ReplaySource, replayFrames } from './replay.ts'
import type { ScenarioBuilder, ScenarioDefinition } from './scenario.ts'
import { planStream } from './stream-plan.ts'
import { encodeWireFrames, type WireFrame } from './wire-frames.ts'

/** What a handler serves: a scenario, or a recorded body from {@link replay}. */
export type MockSource = ScenarioBuilder | ReplaySource

/** An msw `HttpHandler` that also records what clients sent (`handler.calls`, `handler.aborted`). */
export type MockHttpHandler = HttpHandler & CallRecorder

/** What one request asks of the mock, read by the provider-specific part. */
export interface RequestShape {
  /** Stream (true) or answer with the provider's whole JSON body (false). */
  stream: boolean
  /** `one`: a provider response carries one step (picked by the config's `steps`); `all`: every step. */
  steps: 'one' | 'all'
  /** Model to echo, response id, usage chunk… */
  encoderOptions: EncoderOptions
  /** Rewrites each frame's JSON data (fields the provider echoes from the request). */
  transformData?: (data: string) => string
  /** Rewrites the non-streaming body the same way. */
  transformBody?: (body: unknown) => unknown
  /** Wrap the frames as a streamed JSON array (Gemini without `alt=sse`). */
  jsonArray?: boolean
}

/** How to build a mock handler. */
export interface MockHandlerConfig {
  method: 'post' | 'get' | 'all'
  path: string
  protocolId: ProtocolId
  framing: Framing
  source: MockSource
  /** Response headers for a stream (content type is set from the framing). */
  headers?: Record<string, string>
  /** How a one-step response picks its step (default `by-call`: the n-th request gets step n). */
  steps?: StepSelection
  /** Where the request keeps the conversation, for `steps: 'by-conversation'` (default `messages`). */
  conversation?: ConversationFormat
  /** Read the request (already parsed body) into what to send. */
  shape(request: Request, body: unknown, params: PathParams): RequestShape
}

const contentTypes: Record<Framing, string> = {
  sse: 'text/event-stream; charset=utf-8',
  ndjson: 'application/x-ndjson',
  frames: 'application/json',
  text: 'text/plain; charset=utf-8',
}

const defaultErrorMessages: Record<number, string> = {
  400: 'The request is invalid.',
  401: 'Invalid API key provided.',
  403: 'You do not have permission to use this resource.',
  404: 'The requested model does not exist.',
  429: 'Rate limit reached. Please try again later.',
  500: 'The server had an error while processing your request.',
  503: 'The service is temporarily unavailable.',
  529: 'Overloaded',
}

/**
 * The message an HTTP error fault uses when the scenario names none.
 *
 * @example
 * ```ts
 * defaultErrorMessage(429) // 'Rate limit reached. Please try again later.'
 * ```
 */
export function defaultErrorMessage(status: number): string {
  return defaultErrorMessages[status] ?? `The mock answered with HTTP ${status}.`
}

/** A body value → a Response: objects as JSON, strings as text. */
function bodyResponse(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  if (typeof body === 'string') {
    return new HttpResponse(body, {
      status,
      headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
    })
  }
  return HttpResponse.json(body as Record<string, unknown>, { status, headers })
}

function errorBody(protocolId: ProtocolId, status: number, message: string, code?: string): unknown {
  const codec = encoders[protocolId]
  return (
    codec.encodeError?.(status, message, code === undefined ? {} : { code }) ?? {
      error: { message, ...(code === undefined ? {} : { code }) },
    }
  )
}

function wrapJsonArray(frames: WireFrame[]): WireFrame[] {
  if (frames.length === 0) return [{ text: '[]', token: false, terminal: true }]
  return frames.map((frame, index) => ({
    ...frame,
    text: `${index === 0 ? '[' : ',\r\n'}${frame.text}${index === frames.length - 1 ? ']' : ''}`,
  }))
}

function transformFrames(
  frames: WireFrame[],
  framing: Framing,
  transform: (data: string) => string,
): WireFrame[] {
  if (framing !== 'sse') return frames.map((frame) => ({ ...frame, text: transform(frame.text) }))
  // SSE: only the single-line `data:` payloads the encoders write; `[DONE]` and non-JSON stay.
  return frames.map((frame) => ({
    ...frame,
    text: frame.text.replace(/^data: (\{.*\})$/m, (_line, data: string) => `data: ${transform(data)}`),
  }))
}

/**
 * Build a recorded msw handler that serves a scenario (or a recording) in one protocol.
 *
 * @example
 * ```ts
 * const handler = createMockHandler({
 *   method: 'post', path: '*\/v1/messages', protocolId: 'anthropic', framing: 'sse', source: scenario().text('Hi'),
 *   shape: (_request, body) => ({ stream: true, steps: 'one', encoderOptions: {} }),
 * })
 * ```
 */
export function createMockHandler(config: MockHandlerConfig): MockHttpHandler {
  const log = createCallLog()
  const handler = http[config.method](config.path, async ({ request, params }) => {
    const body = await readRequestBody(request)
    const call = log.record({
      url: request.url,
      method: request.method,
      headers: headersRecord(request.headers),
      body,
    })
    const callIndex = log.calls.length - 1
    const source = config.source
    const streamHeaders = {
      'content-type': contentTypes[config.framing],
      'cache-control': 'no-cache',
      ...config.headers,
    }
    const finish = (outcome: 'completed' | 'aborted' | 'faulted') => {
      call.completed = outcome === 'completed'
      call.aborted = outcome === 'aborted'
    }

    if (isReplaySource(source)) {
      const plan = planStream(replayFrames(source), source.timing, source.faults, source.framing, {
        chunk: true,
        ...(source.delays === undefined ? {} : { delays: source.delays }),
      })
      return new HttpResponse(createBodyStream(plan, request.signal, finish), {
        status: 200,
        headers: streamHeaders,
      })
    }

    const definition: ScenarioDefinition = source.definition
    const shape = config.shape(request, body, params)
    const encoderOptions: EncoderOptions = {
      ...(definition.model === undefined ? {} : { model: definition.model }),
      ...shape.encoderOptions,
    }

    const httpError = definition.faults.httpError
    if (httpError !== undefined) {
      await sleep(definition.timing.firstByte ?? 0, request.signal)
      call.status = httpError.status
      call.completed = true
      const payload =
        httpError.body ??
        errorBody(
          config.protocolId,
          httpError.status,
          httpError.message ?? defaultErrorMessage(httpError.status),
        )
      return bodyResponse(payload, httpError.status)
    }

    let stepIndex = callIndex
    if (shape.steps === 'one' && config.steps === 'by-conversation') {
      stepIndex = conversationStep(config.conversation ?? 'messages', body)
      const stepCount = definition.steps.length
      if (stepIndex >= stepCount) {
        // Serving the last step again would repeat a tool call and loop the client; a clear
        // error tells the test author the scenario is shorter than the conversation.
        call.status = 500
        call.completed = true
        const message =
          `The mock scenario has only ${stepCount} step${stepCount === 1 ? '' : 's'}, but this request's ` +
          `conversation is at step ${stepIndex + 1} (${stepIndex} model turn${stepIndex === 1 ? '' : 's'} ` +
          `after the user's last message). Add steps with .step(), or end the conversation sooner.`
        return bodyResponse(errorBody(config.protocolId, 500, message, 'scenario_steps_exhausted'), 500)
      }
    }
    const messageId = `sluice-${callIndex + 1}`
    const events = compileScenario(
      definition,
      shape.steps === 'all' ? { steps: 'all' } : { steps: 'one', index: stepIndex },
      messageId,
    )

    if (!shape.stream) {
      await sleep(definition.timing.firstByte ?? 0, request.signal)
      call.completed = true
      const error = definition.faults.midstreamError
      if (error !== undefined) {
        // Without a stream, the provider reports the same failure as an HTTP error.
        call.status = error.status ?? 500
        return bodyResponse(errorBody(config.protocolId, call.status, error.message, error.code), call.status)
      }
      const codec = encoders[config.protocolId]
      const whole = codec.encodeResponse?.(events, encoderOptions)
      return bodyResponse(shape.transformBody ? shape.transformBody(whole) : whole, 200)
    }

    let frames = encodeWireFrames(
      config.protocolId,
      events,
      shape.jsonArray ? 'frames' : config.framing,
      encoderOptions,
    )
    if (shape.transformData) frames = transformFrames(frames, config.framing, shape.transformData)
    if (shape.jsonArray) frames = wrapJsonArray(frames)
    const plan = planStream(frames, definition.timing, definition.faults, config.framing, { chunk: true })
    const headers = shape.jsonArray
      ? { ...streamHeaders, 'content-type': 'application/json; charset=utf-8' }
      : streamHeaders
    return new HttpResponse(createBodyStream(plan, request.signal, finish), { status: 200, headers })
  })
  return attachRecorder(handler, log)
}
