import { Markdown } from '@sluice/react'
import { createMathRenderer } from '@sluice/react/math'
import '@sluice/react/math.css'

// Once per app: KaTeX is fetched when the first formula shows, never in the first load.
const math = createMathRenderer()

export function Answer({ text, streaming }: { text: string; streaming: boolean }) {
  return (
    <Markdown math={math} streaming={streaming}>
      {text}
    </Markdown>
  )
}
