import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig } from 'vite'

/**
 * The playground: a static site that runs every provider on mocks (the MSW service worker in
 * `public/`), or against a real backend configured in the UI.
 *
 * - `resolve.conditions` puts `source` first, so `@sluice/*` resolve to their TypeScript sources
 *   and the playground needs no package build.
 * - `base: './'` makes the build relocatable: it works from any sub-path of any static host,
 *   and the service worker is registered relative to the page.
 */
export default defineConfig({
  base: './',
  plugins: [react()],
  resolve: { conditions: ['@sluice/source', ...defaultClientConditions] },
  server: { port: 5173 },
  preview: { port: 4173 },
  build: { outDir: 'dist', sourcemap: true },
})
