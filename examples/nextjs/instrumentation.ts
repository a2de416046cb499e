// Keyless development: with no OPENAI_API_KEY, `next dev` answers the provider request of
// app/api/chat/route.ts with @sluice/msw's OpenAI mock. Never in production builds.
export async function register() {
  if (
    process.env.NEXT_RUNTIME === 'nodejs' &&
    process.env.NODE_ENV === 'development' &&
    process.env.OPENAI_API_KEY === undefined
  ) {
    const { server } = await import('./mocks/node')
    server.listen({ onUnhandledRequest: 'bypass' })
    console.log('OPENAI_API_KEY is not set: the provider is mocked by @sluice/msw (development only).')
  }
}
