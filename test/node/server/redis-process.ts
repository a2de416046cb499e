/**
 * A real Redis for the tests: Debian's `redis-server` on 127.0.0.1, a free port, nothing saved
 * to disk, started and stopped by the test itself.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'

export interface RedisProcess {
  readonly port: number
  readonly url: string
  /** Kill it (SIGKILL: no goodbye to clients) and start a fresh, empty one on the same port. */
  restart(options?: { downFor?: number }): Promise<void>
  stop(): Promise<void>
}

/** A port nobody listens on right now: bind 0, read it, let it go. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

function launch(port: number): Promise<ChildProcess> {
  const child = spawn(
    process.env.REDIS_SERVER ?? 'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'yes',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`redis-server did not start on port ${port} within 10 s:\n${output}`))
    }, 10_000)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(
        new Error(
          `redis-server could not be started (${error.message}); install it (apt-get install redis-server).`,
        ),
      )
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`))
    })
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer)
        child.removeAllListeners('exit')
        resolve(child)
      }
    })
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
  })
}

function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill(signal)
  })
}

/** Start a Redis on a free loopback port. */
export async function startRedis(): Promise<RedisProcess> {
  const port = await freePort()
  let child = await launch(port)
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async restart(options = {}) {
      await kill(child, 'SIGKILL')
      if (options.downFor) await new Promise((resolve) => setTimeout(resolve, options.downFor))
      child = await launch(port)
    },
    // SIGKILL: SIGTERM may be ignored (an inherited signal mask), and nothing is saved anyway.
    stop: () => kill(child, 'SIGKILL'),
  }
}
