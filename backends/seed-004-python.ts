/**
 * Start and stop seed 004's FastAPI backend (`backends/seed-004-fastapi/server.py`) from Node:
 * tests and `npm run dev:backends` use it. It runs on Debian's `/usr/bin/python3` (the one with
 * FastAPI, uvicorn and websockets; pyenv's `python3` first on PATH has none of them), or on
 * `SLUICE_PYTHON` when set.
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import type { BehaviourSource } from './shared/behaviour.ts'
import type { Observation } from './shared/observation-log.ts'

/** The server script. */
export const seed004Script = fileURLToPath(new URL('./seed-004-fastapi/server.py', import.meta.url))

/** The Python that has the seed's stack. */
export const seed004Python = process.env.SLUICE_PYTHON ?? '/usr/bin/python3'

/** Options of {@link startSeed004Python}. */
export interface Seed004Options {
  /** 0 (the default) picks a free port; the server prints the one it bound. */
  port?: number
  host?: string
  /** Print every observation on this process's stdout. */
  echo?: boolean
  /** How long to wait for the server to listen; default 15 s. */
  startTimeout?: number
}

/** A running seed 004 backend. */
export interface RunningSeed004 {
  seed: 'seed-004'
  readonly port: number
  readonly httpUrl: string
  /** `ws://127.0.0.1:PORT/ws` */
  readonly websocketUrl: string
  /** The observations so far (`GET /log`). */
  log(): Promise<Observation[]>
  clearLog(): Promise<void>
  /** Knobs every later request starts from (`POST /control`). */
  setBehaviour(source: BehaviourSource): Promise<void>
  /** Kill the process (SIGKILL): every connection drops without a close frame. */
  kill(): Promise<void>
  /** Start the process again on the same port. */
  restart(): Promise<void>
  /** Whether the process is running. */
  readonly running: boolean
  close(): Promise<void>
}

function waitForPort(child: ChildProcess, timeout: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffered = ''
    let errors = ''
    const timer = setTimeout(() => {
      finish(
        new Error(`seed-004 did not print its port within ${timeout} ms. stderr: ${errors.slice(-2000)}`),
      )
    }, timeout)
    function finish(result: number | Error) {
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      child.off('exit', onExit)
      if (typeof result === 'number') resolve(result)
      else reject(result)
    }
    function onData(data: Buffer) {
      buffered += data.toString()
      for (const line of buffered.split('\n')) {
        try {
          const value = JSON.parse(line) as { event?: unknown; port?: unknown }
          if (value.event === 'listening' && typeof value.port === 'number') {
            finish(value.port)
            return
          }
        } catch {
          // Not a JSON line (yet): keep reading.
        }
      }
    }
    function onExit(code: number | null) {
      finish(
        new Error(
          `seed-004 exited (code ${code}) before listening. Is FastAPI installed for ${seed004Python}? stderr: ${errors.slice(-2000)}`,
        ),
      )
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (data: Buffer) => {
      errors += data.toString()
      if (errors.length > 20_000) errors = errors.slice(-10_000)
    })
    child.on('exit', onExit)
  })
}

/**
 * Start seed 004's backend as a child process.
 *
 * @example
 * ```ts
 * const backend = await startSeed004Python()
 * new WebSocket(backend.websocketUrl)
 * await backend.close()
 * ```
 */
export async function startSeed004Python(options: Seed004Options = {}): Promise<RunningSeed004> {
  const host = options.host ?? '127.0.0.1'
  let port = options.port ?? 0
  let child: ChildProcess | undefined

  async function launch(): Promise<void> {
    const attempts = port === 0 ? 1 : 20
    let lastError: unknown
    // A restarted process can find its old port in TIME_WAIT for a moment: a few bounded retries.
    for (let attempt = 0; attempt < attempts; attempt++) {
      const started = spawn(
        seed004Python,
        [seed004Script, '--host', host, '--port', String(port), ...(options.echo ? ['--echo'] : [])],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      )
      try {
        port = await waitForPort(started, options.startTimeout ?? 15_000)
        child = started
        if (options.echo) started.stdout?.pipe(process.stdout)
        else started.stdout?.resume()
        return
      } catch (error) {
        lastError = error
        started.kill('SIGKILL')
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
    }
    throw lastError
  }

  async function kill(): Promise<void> {
    const current = child
    child = undefined
    if (current === undefined || current.exitCode !== null) return
    const exited = once(current, 'exit')
    current.kill('SIGKILL')
    await exited
  }

  await launch()
  const httpUrl = () => `http://${host}:${port}`
  return {
    seed: 'seed-004',
    get port() {
      return port
    },
    get httpUrl() {
      return httpUrl()
    },
    get websocketUrl() {
      return `ws://${host}:${port}/ws`
    },
    get running() {
      return child !== undefined && child.exitCode === null
    },
    async log() {
      const response = await fetch(`${httpUrl()}/log`)
      const text = await response.text()
      return text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Observation)
    },
    async clearLog() {
      await fetch(`${httpUrl()}/log`, { method: 'DELETE' })
    },
    async setBehaviour(source) {
      await fetch(`${httpUrl()}/control`, { method: 'POST', body: JSON.stringify(source) })
    },
    kill,
    restart: launch,
    close: kill,
  }
}
