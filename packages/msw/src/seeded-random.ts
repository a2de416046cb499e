/**
 * A tiny seeded pseudo-random number generator, so the same seed gives the same chunk sizes
 * and the same jitter on every run and every machine.
 *
 * @module
 */

/**
 * Mulberry32: 32 bits of state, uniform in [0, 1). Not for cryptography; good enough to vary
 * chunk sizes and delays reproducibly.
 *
 * @example
 * ```ts
 * const random = createSeededRandom(42)
 * random() === createSeededRandom(42)() // true
 * ```
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let value = state
    value = Math.imul(value ^ (value >>> 15), value | 1)
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61)
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296
  }
}

/**
 * A whole number in `[min, max]` from a random source.
 *
 * @example
 * ```ts
 * randomInteger(createSeededRandom(1), 1, 6) // between 1 and 6
 * ```
 */
export function randomInteger(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1))
}
