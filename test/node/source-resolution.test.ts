import * as viaPackage from '@sluice/core'
import * as mswViaPackage from '@sluice/msw'
import { expect, test } from 'vitest'
import * as viaSource from '../../packages/core/src/index.ts'
import * as mswViaSource from '../../packages/msw/src/index.ts'

// If `@sluice/core` resolved to `packages/core/dist`, these would be different function objects
// (and tests would silently run yesterday's build).
test('workspace packages resolve to their TypeScript sources in Node tests, never to dist/', () => {
  expect(viaPackage.reduceChat).toBe(viaSource.reduceChat)
  expect(viaPackage.createChat).toBe(viaSource.createChat)
  expect(mswViaPackage.scenario).toBe(mswViaSource.scenario)
})
