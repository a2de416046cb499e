/**
 * The error a promise rejects with, so a test can assert its class, status and message together.
 *
 * @example
 * ```ts
 * const error = await rejectionOf(stream.finalChatCompletion())
 * expect(error).toBeInstanceOf(OpenAI.RateLimitError)
 * ```
 */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('Expected the SDK to raise an error, but it resolved: the fault did not reach the SDK.')
}
