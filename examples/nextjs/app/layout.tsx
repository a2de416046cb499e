import type { Metadata } from 'next'
import type { ReactNode } from 'react'
import '@sluice/react/theme.css'

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
