import { join, resolve } from 'node:path'
import { generateCommunity } from '../demo/generate'
import { buildApp } from './app'
import { buildPwaIfNeeded } from './buildPwa'
import { readConfig } from './config'
import { isEmpty, seedCommunity } from './seed'
import { openStore } from './store/open'

const root = resolve(import.meta.dirname, '..', '..')
const config = readConfig()
const log = (msg: string) => process.stdout.write(`${msg}\n`)

if (process.env.ZOUFANG_SKIP_BUILD !== '1') buildPwaIfNeeded(root, log)

const store = await openStore(config.store)
if (await isEmpty(store)) {
  log(`首次启动：生成演示社区 (${config.demoHouseholds} 户)… (first start: generating the demo community)`)
  const started = Date.now()
  const community = generateCommunity({ households: config.demoHouseholds, now: Date.now() })
  await seedCommunity(store, community, new Date(), { attachmentsDir: join(config.dataDir, 'attachments') })
  log(`演示社区已生成：${community.households.length} 户，${community.residents.length} 人，${community.visits.length} 条走访 (${Date.now() - started} ms)`)
}

const app = await buildApp({
  store,
  staticDir: join(root, 'dist'),
  attachmentsDir: join(config.dataDir, 'attachments'),
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

居民公开栏 (the residents' public page, no login): ${url}/public
`)

let closing = false
async function shutdown(signal: string) {
  if (closing) return
  closing = true
  log(`${signal}: 正在关闭 (shutting down)…`)
  await app.close()
  await store.destroy()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
