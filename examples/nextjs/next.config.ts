import type { NextConfig } from 'next'

const nextConfig: NextConfig = {
  // msw intercepts the provider request in development only (instrumentation.ts); left to
  // Node's own resolution it is never bundled into the server build.
  serverExternalPackages: ['msw'],
}

export default nextConfig
