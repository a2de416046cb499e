/** The composer's attachment rules, as pure functions. */
import fc from 'fast-check'
import { expect, test } from 'vitest'
import {
  defaultAttachmentLimits,
  formatFileSize,
  matchesAccept,
  refusal,
} from '../../../packages/react/src/components/attachments/attachment-limits.ts'

test('formatFileSize', () => {
  expect([0, 1023, 1024, 1536, 10 * 1024, 20 * 1024 * 1024, 3.5 * 1024 ** 3].map(formatFileSize)).toEqual([
    '0 B',
    '1023 B',
    '1 KB',
    '1.5 KB',
    '10 KB',
    '20 MB',
    '3.5 GB',
  ])
  fc.assert(fc.property(fc.double(), (bytes) => typeof formatFileSize(bytes) === 'string'))
})

test('matchesAccept: exact types, wildcards and extensions, case-insensitively', () => {
  expect(matchesAccept({ name: 'a.PNG', type: 'image/png' }, ['image/*'])).toBe(true)
  expect(matchesAccept({ name: 'a.pdf', type: 'application/pdf' }, ['image/*'])).toBe(false)
  expect(matchesAccept({ name: 'data.CSV', type: '' }, ['.csv'])).toBe(true)
  expect(matchesAccept({ name: 'x', type: 'Application/PDF' }, ['application/pdf'])).toBe(true)
  expect(matchesAccept({ name: 'x', type: 'imagex/png' }, ['image/*'])).toBe(false)
})

test('refusal: count, type, size, and inline-only rules, each naming the file and the fix', () => {
  const limits = { ...defaultAttachmentLimits, accept: ['image/*', 'application/pdf'] }
  const pdf = { name: 'a.pdf', type: 'application/pdf', size: 100 }
  expect(refusal(pdf, 0, limits, true)).toBeNull()
  expect(refusal(pdf, 10, limits, true)).toBe(
    'a.pdf was not attached: at most 10 files can be attached to one message.',
  )
  expect(refusal({ name: 'x.zip', type: 'application/zip', size: 1 }, 0, limits, true)).toBe(
    'x.zip was not attached: application/zip is not accepted (accepted: image/*, application/pdf).',
  )
  expect(refusal({ ...pdf, size: 30 * 1024 * 1024 }, 0, limits, true)).toBe(
    'a.pdf was not attached: it is 30 MB; the limit is 20 MB.',
  )
  expect(refusal(pdf, 0, limits, false)).toBe(
    'a.pdf was not attached: without an upload (uploadFile) only PNG, JPEG, GIF and WebP images can be sent.',
  )
  expect(refusal({ name: 'svg.svg', type: 'image/svg+xml', size: 10 }, 0, limits, false)).toMatch(
    /only PNG, JPEG/,
  )
  expect(refusal({ name: 'big.png', type: 'image/png', size: 2 * 1024 * 1024 }, 0, limits, false)).toBe(
    'big.png was not attached: it is 2 MB, and images sent without an upload (uploadFile) may be at most 1 MB.',
  )
})
