import { resolve } from 'node:path'

export interface Config {
  dataDir: string
  host: string
  port: number
  /** Size of the generated demo community on first start. */
  demoHouseholds: number
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`)
  const demoHouseholds = Number(env.ZOUFANG_DEMO_HOUSEHOLDS ?? 3000)
  return {
    dataDir: resolve(env.ZOUFANG_DATA ?? './data'),
    host: env.HOST ?? '127.0.0.1',
    port,
    demoHouseholds: Number.isInteger(demoHouseholds) && demoHouseholds > 0 ? demoHouseholds : 3000,
  }
}
