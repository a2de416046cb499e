import '@sluice/react/theme.css'
import type { Preview } from '@storybook/react-vite'
import { applyStoryHandlers, type StoryHandlers } from '../stories/support/msw-worker.ts'

/**
 * Every story: axe fails the test on any violation, the story's `msw` handlers (from
 * `@sluice/msw`) are the only mocks in the service worker while it runs, and the `theme`
 * global switches between the light and the dark default theme.
 */
const preview: Preview = {
  parameters: {
    layout: 'fullscreen',
    a11y: { test: 'error' },
    controls: { expanded: true },
  },
  globalTypes: {
    theme: {
      description: 'The default theme of @sluice/react',
      toolbar: {
        title: 'Theme',
        icon: 'contrast',
        items: [
          { value: 'light', title: 'Light' },
          { value: 'dark', title: 'Dark' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light' },
  loaders: [
    async ({ parameters }) => {
      await applyStoryHandlers(parameters.msw as StoryHandlers | undefined)
      return {}
    },
  ],
  decorators: [
    (Story, { globals }) => {
      const theme = globals.theme === 'dark' ? 'dark' : 'light'
      return (
        // `data-theme` on an ancestor is how an app forces the default theme's light or dark
        // palette; the story's own background follows it, so axe checks contrast on it.
        <div
          data-theme={theme}
          style={{
            background: 'var(--sluice-background)',
            color: 'var(--sluice-foreground)',
            padding: '1rem',
          }}
        >
          <Story />
        </div>
      )
    },
  ],
}

export default preview
