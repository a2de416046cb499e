import { defineConfig } from '@playwright/test'

/**
 * A fixed port for the built playground (`vite preview`), away from Vite's defaults.
 * `SLUICE_E2E_PORT` moves it, so a second checkout (or a preview of another build) can run its
 * end-to-end tests beside this one; outside CI an already running preview on that port is reused.
 */
const port = Number(process.env.SLUICE_E2E_PORT ?? 4179)

/** A fixed port for the built Storybook the screenshot tests load (`test/screenshots/`). */
const storybookPort = 4180

/**
 * Only end-to-end specs named on the command line (`playwright test test/e2e/x.spec.ts` or
 * `--project chromium`): the Storybook build (about 40 s) is not needed, so it is not started.
 */
const cliArguments = process.argv.slice(2)
const endToEndOnly =
  !cliArguments.some((argument) => argument.includes('screenshots')) &&
  (cliArguments.some((argument) => argument.includes('test/e2e')) ||
    cliArguments.some(
      (argument, index) =>
        argument === '--project=chromium' ||
        (argument === 'chromium' && cliArguments[index - 1] === '--project'),
    ))

/**
 * End-to-end tests against the built playground (`test/e2e`), in Debian's Chromium:
 * `npx playwright install` cannot download a browser here, and the background-networking flags
 * stop Chromium from calling home on a closed network. Screenshots of key states are attached
 * to each test and written under `test-results/e2e/`.
 */
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/e2e',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  timeout: 90_000,
  expect: { timeout: 30_000 },
  reporter: process.env.CI
    ? [['list'], ['html', { open: 'never', outputFolder: 'test-results/e2e-report' }]]
    : 'list',
  use: {
    baseURL: `http://localhost:${port}/`,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    // The playground's mocks run in a service worker: keep them.
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
  projects: [
    { name: 'chromium', use: { browserName: 'chromium' } },
    {
      // Screenshots of the Storybook stories in light and dark (`test/screenshots/`), compared
      // with the committed baselines. Deterministic: a fixed viewport and scale, reduced motion,
      // animations stopped, the caret hidden. The threshold tolerates anti-aliasing noise, not a
      // moved or recoloured element. `npx playwright test --project screenshots --update-snapshots`
      // rewrites the baselines after an intended change; review the images before committing.
      name: 'screenshots',
      testDir: 'test/screenshots',
      snapshotPathTemplate: '{testDir}/baselines/{arg}{ext}',
      use: {
        browserName: 'chromium',
        baseURL: `http://127.0.0.1:${storybookPort}/`,
        viewport: { width: 900, height: 720 },
        deviceScaleFactor: 1,
        reducedMotion: 'reduce',
        colorScheme: 'light',
      },
      expect: {
        toHaveScreenshot: {
          animations: 'disabled',
          caret: 'hide',
          scale: 'css',
          threshold: 0.2,
          maxDiffPixelRatio: 0.005,
        },
      },
    },
  ],
  webServer: [
    {
      command: `npm run build -w playground && npm run preview -w playground -- --port ${port} --strictPort`,
      url: `http://localhost:${port}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    ...(endToEndOnly
      ? []
      : [
          {
            command: `npm run build-storybook -- --quiet && node test/screenshots/serve-storybook.mjs ${storybookPort}`,
            url: `http://127.0.0.1:${storybookPort}/iframe.html`,
            reuseExistingServer: !process.env.CI,
            timeout: 300_000,
            stdout: 'ignore' as const,
            stderr: 'pipe' as const,
          },
        ]),
  ],
})
