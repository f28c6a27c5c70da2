import { join, resolve } from 'node:path'
import { generateStreet } from '../demo/street'
import { MAIN_COMMUNITY } from '../domain/constants'
import { buildApp } from './app'
import { buildPwaIfNeeded } from './buildPwa'
import { readConfig } from './config'
import { openDeployment } from './deployment'
import { isEmpty, seedStreet } from './seed'
import { openStore } from './store/open'

const root = resolve(import.meta.dirname, '..', '..')
const config = readConfig()
const log = (msg: string) => process.stdout.write(`${msg}\n`)

if (process.env.ZOUFANG_SKIP_BUILD !== '1') buildPwaIfNeeded(root, log)

const store = await openStore(config.store)
const deployment = await openDeployment(store)
if (await isEmpty(store)) {
  const n = config.demoCommunities
  log(`首次启动：生成演示${n > 1 ? `街道 (${n} 个社区，每个` : '社区 ('}${config.demoHouseholds} 户)… (first start: generating the demo ${n > 1 ? 'street' : 'community'})`)
  const started = Date.now()
  const street = generateStreet(n, { households: config.demoHouseholds, now: Date.now() })
  await seedStreet(deployment, street, new Date(), { attachmentsDir: config.attachmentsDir })
  for (const { community } of street)
    log(`演示社区已生成：${community.name} ${community.households.length} 户，${community.residents.length} 人，${community.visits.length} 条走访 (${Date.now() - started} ms)`)
}

const app = await buildApp({
  store,
  deployment,
  staticDir: join(root, 'dist'),
  attachmentsDir: config.attachmentsDir,
  logger: process.env.ZOUFANG_LOG === '1',
  trustProxy: config.trustProxy,
  tileHosts: config.tileHosts,
  maintenanceEveryMs: 3600_000,
})
const address = await app.listen({ host: config.host, port: config.port })
const url = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost')

log(`
走访 Zoufang 已启动 — ${url}
数据目录 (data): ${config.dataDir}

演示账号 (demo logins), 密码 (password) 都是 zoufang:
  网格员 grid worker   grid01 … grid13   (每人一个网格 / one grid cell each)
  社区书记 secretary    secretary
  管理员 admin          admin
${streetLogins()}
居民公开栏 (the residents' public page, no login): ${url}/public
`)

/** The other communities' logins and the street office's, when the demo is a street. */
function streetLogins(): string {
  const others = deployment.communities().filter((c) => c.key !== MAIN_COMMUNITY)
  if (!others.length) return ''
  const lines = others.map((c) =>
    c.kind === 'street'
      ? `  街道 street office   street (街道管理员 / its admin)  street-staff   (${c.name}：各社区汇总 / every community's figures)`
      : `  ${c.name}：${c.key}-grid01 …  ${c.key}-secretary  ${c.key}-admin   (居民公开栏 /public?community=${c.key})`,
  )
  return `\n${lines.join('\n')}\n`
}

let closing = false
async function shutdown(signal: string) {
  if (closing) return
  closing = true
  log(`${signal}: 正在关闭 (shutting down)…`)
  await app.close()
  await deployment.destroy()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
