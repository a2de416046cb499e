import type { Metadata } from 'next'
import type { ReactNode } from 'react'
import '@sluice/react/theme.css'
// After the theme, the worst order for it: the template's reset cannot undo it.
import './globals.css'

export const metadata: Metadata = {
  title: 'Sluice + Next.js',
  description: 'A streaming chat with the provider key on the server',
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  )
}
