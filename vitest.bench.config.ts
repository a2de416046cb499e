import react from '@vitejs/plugin-react'
import { playwright } from '@vitest/browser-playwright'
import { defaultClientConditions } from 'vite'
import { defineConfig } from 'vitest/config'
import { chromium } from './vite.config.ts'

/**
 * The tests' Chromium plus two V8/Blink switches for the benchmarks: `--expose-gc` lets a bench
 * start every run with a clean heap (the garbage of the client measured before it is not billed
 * to the next one), and precise `performance.memory` lets it see whether a GC ran inside a long
 * task (the used heap drops).
 */
const benchChromium = playwright({
  launchOptions: {
    ...chromium.options?.launchOptions,
    args: [
      ...(chromium.options?.launchOptions?.args ?? []),
      '--js-flags=--expose-gc',
      '--enable-precise-memory-info',
    ],
  },
})

/**
 * Browser benchmarks (`npx vitest run --config vitest.bench.config.ts`), kept out of `npm test`:
 * they take minutes and print figures instead of asserting speed. Same Chromium as the tests.
 * React's production build is used (`NODE_ENV=production`), as in an app users run.
 */
export default defineConfig({
  // Setting `conditions` replaces Vite's defaults (`browser` among them: `ai` needs it), so they follow ours.
  resolve: { conditions: ['@sluice/source', ...defaultClientConditions] },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  plugins: [react()],
  // Cross-origin isolation: `performance.now()` then ticks in 5 µs steps instead of 100 µs, which
  // sub-millisecond per-chunk timings need.
  server: {
    headers: {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    },
  },
  test: {
    name: 'bench-browser',
    include: ['test/bench/browser/**/*.bench.test.{ts,tsx}'],
    testTimeout: 30 * 60 * 1000,
    hookTimeout: 60 * 1000,
    browser: {
      enabled: true,
      headless: true,
      provider: benchChromium,
      instances: [{ browser: 'chromium' }],
      screenshotFailures: false,
    },
  },
})
