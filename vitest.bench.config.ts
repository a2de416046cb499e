import react from '@vitejs/plugin-react'
import { defaultClientConditions } from 'vite'
import { defineConfig } from 'vitest/config'
import { chromium } from './vitest.config.ts'

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
  test: {
    name: 'bench-browser',
    include: ['test/bench/browser/**/*.bench.test.{ts,tsx}'],
    testTimeout: 30 * 60 * 1000,
    hookTimeout: 60 * 1000,
    browser: {
      enabled: true,
      headless: true,
      provider: chromium,
      instances: [{ browser: 'chromium' }],
      screenshotFailures: false,
    },
  },
})
