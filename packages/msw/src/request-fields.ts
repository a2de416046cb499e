/**
 * Reading the fields mocks honour from a request body that may be anything.
 *
 * @module
 */

/** The body as an object, or an empty one. */
export function bodyObject(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {}
}

/**
 * The request's `model`, when it is a non-empty string.
 *
 * @example
 * ```ts
 * requestModel({ model: 'gpt-4o' }) // 'gpt-4o'
 * ```
 */
export function requestModel(body: unknown): string | undefined {
  const model = bodyObject(body).model
  return typeof model === 'string' && model !== '' ? model : undefined
}

/**
 * `{ model }` for encoder options, or nothing.
 *
 * @example
 * ```ts
 * modelOption({ model: 'gpt-4o' }) // { model: 'gpt-4o' }
 * ```
 */
export function modelOption(model: string | undefined): { model?: string } {
  return model === undefined ? {} : { model }
}
