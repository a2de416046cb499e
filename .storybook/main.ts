import type { StorybookConfig } from '@storybook/react-vite'
import { defaultClientConditions } from 'vite'

/**
 * Storybook for `@sluice/react`: every component in every state, live streams mocked by
 * `@sluice/msw` through MSW's service worker. The same stories run as Vitest tests in Chromium
 * (`vitest run --project storybook`, through `@storybook/addon-vitest`), with axe failing on
 * any violation.
 */
const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-a11y', '@storybook/addon-vitest'],
  framework: { name: '@storybook/react-vite', options: {} },
  // Serves MSW's `mockServiceWorker.js` at the root, where `setupWorker` registers it (one copy
  // for the playground, the stories and the browser tests).
  staticDirs: ['../playground/public'],
  // The machines that build this have no network beyond the package registries.
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  async viteFinal(viteConfig) {
    // The workspace packages are read from their TypeScript source (the `@sluice/source` export
    // condition), so stories need no build and follow every edit. Setting `conditions`
    // replaces Vite's defaults, hence the spread.
    return {
      ...viteConfig,
      resolve: {
        ...viteConfig.resolve,
        conditions: ['@sluice/source', ...defaultClientConditions],
      },
    }
  },
}

export default config
