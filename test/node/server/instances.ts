/** Relay instances in child processes, started and killed by the test. */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export interface RelayProcess {
  readonly url: string
  /** SIGKILL: the instance dies mid-whatever, without finishing a stream or saying goodbye. */
  kill(): Promise<void>
}

const script = fileURLToPath(new URL('./relay-instance.ts', import.meta.url))

/** Start `relay-instance.ts` with this environment; resolves when it listens. */
export function startRelayProcess(environment: Record<string, string>): Promise<RelayProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@sluice/source', '--import', 'tsx', script],
    {
      env: { ...process.env, ...environment },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  )
  const kill = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGKILL')
    })
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => {
      void kill()
      reject(new Error(`The relay instance did not start within 20 s:\n${output}`))
    }, 20_000)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`The relay instance exited with ${code}:\n${output}`))
    })
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening (\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        child.removeAllListeners('exit')
        resolve({ url: match[1]!, kill })
      }
    })
  })
}
