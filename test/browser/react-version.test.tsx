/**
 * Which React the page really runs. `browser` runs the React of the root `package.json` (19);
 * `browser-react18` aliases `react` and `react-dom` to React 18 and defines
 * `import.meta.env.SLUICE_REACT_MAJOR` as `'18'`. Without this file, a broken alias would make the
 * React 18 project silently test React 19 again.
 */
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query'
import { type ReactNode, version as reactVersion, useState } from 'react'
import { version as reactDomVersion } from 'react-dom'
import { renderToString } from 'react-dom/server.browser'
import { expect, test } from 'vitest'
import { render } from 'vitest-browser-react'
import rootPackage from '../../package.json' with { type: 'json' }

/** The major the project asked for, else the one the root `package.json` installs (`^19.3.1` → `19`). */
function expectedReactMajor(): string {
  const defined: unknown = import.meta.env.SLUICE_REACT_MAJOR
  if (typeof defined === 'string') return defined
  const installed = /\d+/.exec(rootPackage.devDependencies.react)?.[0]
  if (installed === undefined)
    throw new Error('The root package.json has no React devDependency to compare with.')
  return installed
}

/** A hook user for the server renderer. */
function Counter(): ReactNode {
  const [count] = useState(3)
  return <output>{count} saved</output>
}

/** A hook user inside TanStack Query's provider, rendered by vitest-browser-react. */
function Title(): ReactNode {
  const query = useQuery({ queryKey: ['title'], queryFn: async () => 'Streaming answers' })
  return <h1>{query.data ?? 'Loading'}</h1>
}

test('react and react-dom are the major this project runs', () => {
  const major = expectedReactMajor()
  expect(reactVersion.split('.')[0]).toBe(major)
  expect(reactDomVersion.split('.')[0]).toBe(major)
})

test('the server renderer is the same React', () => {
  // `react-dom/server` resolves through its own package entry; a second React would throw here
  // ("Invalid hook call") or render nothing, since hooks read the dispatcher of the React they import.
  expect(renderToString(<Counter />)).toBe('<output>3<!-- --> saved</output>')
})

test('libraries that import React themselves share the one copy', async () => {
  // vitest-browser-react's `render`, TanStack Query's provider and hook, and this file's JSX all
  // import React on their own. With two copies, `useQuery` would throw "Invalid hook call" and
  // elements from one copy would be rejected by the other as "Objects are not valid as a React child".
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  const screen = await render(
    <QueryClientProvider client={client}>
      <Title />
    </QueryClientProvider>,
  )
  await expect.element(screen.getByRole('heading', { name: 'Streaming answers' })).toBeVisible()
  client.clear()
})
