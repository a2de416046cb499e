import { defineConfig } from '@playwright/test'

/**
 * The example apps in Chromium (`test/e2e/examples-apps.spec.ts`), run by `npm run test:examples`
 * (scripts/test-examples.mjs) once it has installed the packed packages into copies of
 * `examples/` and built them; the spec starts and stops each app's own server on a free port.
 * One worker: two cores, and a Next.js server compiles on its first request.
 */
export default defineConfig({
  testDir: '../test/e2e',
  testMatch: 'examples-*.spec.ts',
  outputDir: '../test-results/examples',
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  timeout: 180_000,
  expect: { timeout: 60_000 },
  reporter: 'list',
  use: {
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    serviceWorkers: 'allow',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
})
