// Runs inside Chromium on the app's own origin: the real engine, Dexie schema and store code,
// timed with performance.now(). bench/run.ts drives it.
import { createPinia, setActivePinia } from 'pinia'
import { db } from '../../src/app/db/instance'
import { useRegisterStore } from '../../src/app/stores/register'
import { SyncEngine } from '../../src/app/sync/engine'
import { createLocal } from '../../src/app/sync/outbox'
import { createHttpTransport } from '../../src/app/sync/transport'
import { uuidv7, type Visit } from '../../src/domain'

async function login(username: string): Promise<{ token: string; userId: string }> {
  const res = await fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'zoufang' }),
  })
  const body = (await res.json()) as { token: string; user: { id: string } }
  return { token: body.token, userId: body.user.id }
}

async function firstSync(username: string) {
  const { token } = await login(username)
  await db.delete({ disableAutoOpen: false })
  await db.open()
  const engine = new SyncEngine({ db, deviceId: uuidv7(), transport: createHttpTransport({ baseUrl: '', getToken: () => token }) })
  const t0 = performance.now()
  const report = await engine.syncOnce()
  const ms = performance.now() - t0
  return { ms, records: report.pulled }
}

async function visitSaves(username: string, n: number) {
  const { userId } = await login(username)
  const households = await db.households.toArray()
  const template = (await db.checklistTemplates.toArray()).find((t) => t.code === 'routine')!
  const times: number[] = []
  for (let i = 0; i < n; i++) {
    const h = households[i % households.length]!
    const visit: Visit = {
      id: uuidv7(),
      householdId: h.id,
      gridId: h.gridId,
      workerId: userId,
      startedAt: new Date().toISOString(),
      outcome: 'met',
      residentIds: [],
      templateId: template.id,
      templateVersion: template.version,
      answers: { members_changed: '无变化', contact_verified: true },
      notes: '基准测试走访，老人身体还行，叮嘱按时吃药',
      needs: '',
      followUpDate: null,
      location: { lat: 36.19, lng: 117.12, accuracy: 12, source: 'gps' },
      photoIds: [],
    }
    const t0 = performance.now()
    await createLocal(db, 'visit', visit)
    times.push(performance.now() - t0)
  }
  return times
}

async function searches(queries: string[], rounds: number) {
  setActivePinia(createPinia())
  const store = useRegisterStore()
  const expected = await db.households.count()
  while (store.households.length < expected) await new Promise((r) => setTimeout(r, 20))
  const times: number[] = []
  let hits = 0
  for (let r = 0; r < rounds; r++)
    for (const q of queries) {
      const t0 = performance.now()
      hits += store.search(q).length
      times.push(performance.now() - t0)
    }
  return { times, households: expected, hits }
}

Object.assign(window, { bench: { firstSync, visitSaves, searches } })
document.title = 'ready'
