import { storybookTest } from '@storybook/addon-vitest/vitest-plugin'
import react from '@vitejs/plugin-react'
import { playwright } from '@vitest/browser-playwright'
import { defaultClientConditions, defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

/**
 * Debian's Chromium, launched by Playwright. `npx playwright install` cannot download a browser
 * here, and the background-networking flags stop Chromium from calling home on a closed network.
 */
export const chromium = playwright({
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
})

/**
 * React 18 for the `browser-react18` project. `@sluice/react` accepts `react@^18.2.0 || ^19.0.0`,
 * the root installs 19, and `react-18` / `react-dom-18` are npm aliases of React 18.3. Aliasing
 * the bare names (not file paths) keeps package `exports` and the `browser` condition working and
 * lets Vite pre-bundle the CommonJS React 18 like any dependency; the aliases apply to every
 * importer, node_modules included (vitest-browser-react, TanStack Query, the optimizer's bundles),
 * so the page holds one React: two would fail every hook with "Invalid hook call".
 */
export const react18Aliases = [
  { find: /^react$/, replacement: 'react-18' },
  { find: /^react\/(.*)$/, replacement: 'react-18/$1' },
  { find: /^react-dom$/, replacement: 'react-dom-18' },
  { find: /^react-dom\/(.*)$/, replacement: 'react-dom-18/$1' },
]

/** The React-facing browser tests: components, hooks and markdown (not transports or stories). */
export const reactTestFiles = [
  'packages/react/src/**/*.test.tsx',
  'test/browser/hooks/**/*.test.{ts,tsx}',
  'test/browser/components/**/*.test.{ts,tsx}',
  'test/browser/markdown-*.test.tsx',
  'test/browser/react-version.test.tsx',
]

/**
 * One Vitest run, several projects:
 * - `node`: core, msw and cross-package Node tests (React is never needed there).
 * - `browser`: React components, hooks and browser transports in real Chromium.
 * - `storybook`: every story in `stories/` as a test in Chromium (play functions and axe).
 * - `browser-react18`: the React-facing browser tests again, under React 18 (the oldest peer).
 */
export default defineConfig({
  // Workspace packages resolve to their TypeScript sources (the `@sluice/source` export condition; not plain `source`, which some dependencies such as eventsource-parser also publish and which would send Node to their TypeScript), in
  // the browser and in Node (Vitest's node environment resolves through `ssr`), so tests never
  // run against a stale `dist/`.
  // Setting `conditions` replaces Vite's defaults, so they are listed again after `source`.
  resolve: { conditions: ['@sluice/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@sluice/source', ...defaultServerConditions] } },
  test: {
    // Two cores run the node and browser projects side by side: generous, but hangs still fail.
    testTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'packages/core/src/**/*.test.ts',
            'packages/msw/src/**/*.test.ts',
            'test/node/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        plugins: [react()],
        // Serves MSW's `mockServiceWorker.js` (the playground's copy) at the root, for `setupWorker`.
        publicDir: 'playground/public',
        test: {
          name: 'browser',
          include: ['packages/react/src/**/*.test.{ts,tsx}', 'test/browser/**/*.test.{ts,tsx}'],
          browser: {
            enabled: true,
            headless: true,
            provider: chromium,
            instances: [{ browser: 'chromium' }],
            screenshotFailures: false,
          },
        },
      },
      {
        extends: true,
        // Every story of `stories/` as a test in Chromium: it renders, its play function passes
        // and axe finds no violation (`.storybook/preview.tsx` sets `a11y.test: 'error'`).
        plugins: [storybookTest({ configDir: '.storybook' })],
        test: {
          name: 'storybook',
          browser: {
            enabled: true,
            headless: true,
            provider: chromium,
            instances: [{ browser: 'chromium' }],
            screenshotFailures: false,
          },
        },
      },
      {
        extends: true,
        plugins: [react()],
        // MSW's `mockServiceWorker.js`, for the hook tests that use `setupWorker`.
        publicDir: 'playground/public',
        resolve: { alias: react18Aliases },
        // `react-version.test.tsx` asserts the major it really got; `browser` leaves it undefined.
        define: { 'import.meta.env.SLUICE_REACT_MAJOR': JSON.stringify('18') },
        test: {
          name: 'browser-react18',
          include: reactTestFiles,
          browser: {
            enabled: true,
            headless: true,
            provider: chromium,
            instances: [{ browser: 'chromium' }],
            screenshotFailures: false,
          },
        },
      },
    ],
  },
})
