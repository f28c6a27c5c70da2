// TEMP (not committed): times every SQLite statement of pushes through the real app in-process.
import Database from 'better-sqlite3'
import { PROTOCOL_VERSION, uuidv7, type ChecklistTemplate } from '../src/domain'
import { requiredAnswers, householdOf } from '../tests/support/factories'
import { startTestServer, workerOf } from '../tests/support/server'

const times = new Map<string, { n: number; ms: number }>()
const proto = (Database as unknown as { prototype: { prepare: (sql: string) => unknown } }).prototype
const origPrepare = proto.prepare
let prepMs = 0, prepN = 0
proto.prepare = function (this: unknown, sql: string) {
  const t0 = performance.now()
  const stmt = origPrepare.call(this, sql) as Record<string, (...a: unknown[]) => unknown>
  prepMs += performance.now() - t0; prepN++
  for (const k of ['all', 'run', 'get', 'iterate']) {
    const f = stmt[k]!
    stmt[k] = (...a: unknown[]) => {
      const t = performance.now()
      try { return f.apply(stmt, a) } finally {
        const e = times.get(sql) ?? { n: 0, ms: 0 }; e.n++; e.ms += performance.now() - t; times.set(sql, e)
      }
    }
  }
  return stmt
}
const s = await startTestServer(3000)
const token = await s.login('grid01')
const user = workerOf(s.community, 'grid01')
const template = s.community.templates.find((t: ChecklistTemplate) => t.code === 'routine')!
times.clear(); prepMs = 0; prepN = 0
const DEV = uuidv7()
const N = 400
const t0 = performance.now()
for (let i = 0; i < N; i++) {
  const h = householdOf(s.community, 'grid01', i % 50)
  const mutations = Array.from({ length: 5 }, () => {
    const id = uuidv7(); const at = new Date().toISOString()
    return { mutationId: uuidv7(), entity: 'visit', id, op: 'create', at, data: { id, householdId: h.id, gridId: h.gridId, workerId: user.id, startedAt: at, outcome: 'met', residentIds: [], templateId: template.id, templateVersion: template.version, answers: requiredAnswers(template), notes: 'x', needs: '', followUpDate: null, location: null, photoIds: [] } }
  })
  const r = await s.app.inject({ method: 'POST', url: '/api/sync/push', headers: { authorization: `Bearer ${token}` }, payload: { deviceId: DEV, protocolVersion: PROTOCOL_VERSION, mutations } })
  if (r.statusCode !== 200) throw new Error(r.body)
}
const total = performance.now() - t0
console.log(`total ${total.toFixed(0)} ms for ${N * 5} mutations = ${(N * 5 / total * 1000).toFixed(0)}/s; prepare ${prepN} calls ${prepMs.toFixed(0)} ms`)
const rows = [...times].sort((a, b) => b[1].ms - a[1].ms)
let sum = 0
for (const [, v] of rows) sum += v.ms
console.log(`sql exec ${sum.toFixed(0)} ms`)
for (const [sql, v] of rows.slice(0, 20)) console.log(`${v.ms.toFixed(0).padStart(6)} ms ${String(v.n).padStart(6)}× ${(v.ms / v.n * 1000).toFixed(0).padStart(6)}µs  ${sql.slice(0, 150)}`)
await s.close()
