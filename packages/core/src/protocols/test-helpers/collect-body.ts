/**
 * Test helper: the final message a response body gives through a protocol, read with
 * `collectMessage` in network chunks of the given sizes.
 *
 * @module
 */
import { chunkedBytes, fromChunks } from '../../../../../test/helpers/fixtures.ts'
import { collectMessage } from '../../collect-message.ts'
import type { Message } from '../../message.ts'
import type { Protocol } from '../../protocol.ts'

/**
 * Collect the final assistant message of `body` split into chunks of `sizes` bytes.
 *
 * @example
 * ```ts
 * const message = await collectBody('data: {"type":"start"}\n\n', [3, 5], aiSdkProtocol)
 * ```
 */
export function collectBody(
  body: string,
  sizes: readonly number[],
  protocol: Protocol,
  messageId?: string,
): Promise<Message> {
  return collectMessage(
    fromChunks(chunkedBytes(body, sizes)),
    protocol,
    messageId === undefined ? {} : { messageId },
  )
}
