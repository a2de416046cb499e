/**
 * Screenshots of the Storybook stories (built by the `screenshots` project's webServer) in the
 * light and the dark theme, compared with the baselines in `test/screenshots/baselines/`, so a
 * design regression is seen. Each story is static; the test waits for what loads late (the
 * code highlighter, web fonts) before it takes the picture.
 */
import { expect, type Page, test } from '@playwright/test'

type Theme = 'light' | 'dark'

/** Open a story alone (no Storybook UI) in a theme, and wait until it has settled. */
async function openStory(page: Page, id: string, theme: Theme, highlightedBlocks = 0): Promise<void> {
  await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' })
  await page.goto(`iframe.html?id=${id}&viewMode=story&globals=theme:${theme}`)
  const root = page.locator('#storybook-root')
  // A cold Storybook on a loaded two-core machine can take long to render its first story.
  await expect(root.locator('[data-sluice], [data-markdown]').first()).toBeVisible({ timeout: 90_000 })
  await expect(root.locator(`[data-theme="${theme}"]`)).toHaveCount(1)
  if (highlightedBlocks > 0) {
    await expect(root.locator('code[data-highlighted="all"]')).toHaveCount(highlightedBlocks, {
      timeout: 30_000,
    })
  }
  await page.evaluate(() => document.fonts.ready)
  // Away from every message: hover must not reveal the actions by accident.
  await page.mouse.move(0, 0)
}

const stories = [
  { id: 'theme--quick-start-layout', name: 'quick-start', highlightedBlocks: 1 },
  { id: 'theme--message-states', name: 'message-states' },
  { id: 'theme--tools-and-reasoning', name: 'tools-and-reasoning' },
  // Its own light and dark stories: each play function checks its palette's token colours.
  {
    id: 'components-markdown-highlighted-code--light',
    darkId: 'components-markdown-highlighted-code--dark',
    name: 'highlighted-code',
    highlightedBlocks: 5,
  },
] as const

for (const theme of ['light', 'dark'] as const) {
  test.describe(`${theme} theme`, () => {
    for (const story of stories) {
      test(story.name, async ({ page }) => {
        const id = theme === 'dark' && 'darkId' in story ? story.darkId : story.id
        await openStory(page, id, theme, 'highlightedBlocks' in story ? story.highlightedBlocks : 0)
        await expect(page.locator('#storybook-root')).toHaveScreenshot(`${story.name}-${theme}.png`)
      })
    }

    test('quick start under CSS resets looks the same as without them', async ({ page }) => {
      await openStory(page, 'theme--quick-start-under-resets', theme, 1)
      await expect(page.locator('style[data-story="theme-resets"]')).toHaveCount(1)
      // The same baseline as the quick start without resets: a reset that changes a pixel of the theme fails here.
      await expect(page.locator('#storybook-root')).toHaveScreenshot(`quick-start-${theme}.png`)
    })

    test('message actions, revealed by the keyboard and the pointer', async ({ page }) => {
      await openStory(page, 'theme--message-actions', theme)
      const root = page.locator('#storybook-root')
      // At rest the icon rows are invisible (yet in the tab order).
      await expect(root.locator('[data-sluice="message-actions"]').first()).toHaveCSS('opacity', '0')
      await page.keyboard.press('Tab')
      await expect(root.getByRole('button', { name: 'Copy' }).first()).toBeFocused()
      await root.getByText('The Loire, at 1,006 km.').hover()
      for (const actions of await root.locator('[data-sluice="message-actions"]').all()) {
        await expect(actions).toHaveCSS('opacity', '1')
      }
      await expect(root).toHaveScreenshot(`message-actions-${theme}.png`)
    })
  })
}

test.describe('on a touch screen', () => {
  test.use({ hasTouch: true })

  test('message actions are always visible (there is no hover)', async ({ page }) => {
    await openStory(page, 'theme--message-actions', 'light')
    expect(await page.evaluate(() => window.matchMedia('(hover: none)').matches)).toBe(true)
    const root = page.locator('#storybook-root')
    for (const actions of await root.locator('[data-sluice="message-actions"]').all()) {
      await expect(actions).toHaveCSS('opacity', '1')
    }
    await expect(root).toHaveScreenshot('message-actions-touch.png')
  })
})
