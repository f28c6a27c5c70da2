// Runs inside Chromium on the app's own origin: the real engine, Dexie schema and store code,
// timed with performance.now(). bench/run.ts drives it.
import Dexie from 'dexie'
import { createPinia, setActivePinia } from 'pinia'
import { TABLE_OF, ZoufangDb } from '../../src/app/db/database'
import { groupByHousehold } from '../../src/app/db/byHousehold'
import { db } from '../../src/app/db/instance'
import { useRegisterStore } from '../../src/app/stores/register'
import { FIRST_PULL_PAGE, PULL_PAGE, SyncEngine } from '../../src/app/sync/engine'
import { compressPhoto, sha256Hex } from '../../src/app/photos/compress'
import { createLocal } from '../../src/app/sync/outbox'
import { createHttpTransport } from '../../src/app/api/sync'
import { uuidv7, type Entity, type PullResponse, type Visit } from '../../src/domain'
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../src/domain/constants'

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

/** The records as rows, one per record, with the app's indexes: its schema before visits were
 *  packed (version 2), the shape the floor is defined on. */
const FLAT_TABLE: Record<Entity, string> = { ...TABLE_OF, visit: 'visits', resident: 'residents' }
const FLAT_INDEXES: Record<string, string> = { visits: 'id, householdId', residents: 'id, householdId', caseSteps: 'id, caseId', comments: 'id, visitId' }
function flatDb(name: string): Dexie {
  const db = new Dexie(name)
  db.version(1).stores(Object.fromEntries(Object.values(FLAT_TABLE).map((t) => [t, FLAT_INDEXES[t] ?? 'id'])))
  return db
}

/** The answers of a first sync, as the app asks for them: a small first page, then full ones. */
async function pullAnswers(username: string): Promise<PullResponse[]> {
  const { token } = await login(username)
  const answers: PullResponse[] = []
  for (let cursor: string | undefined; ; ) {
    const q = new URLSearchParams({ limit: String(cursor ? PULL_PAGE : FIRST_PULL_PAGE), ...(cursor ? { cursor } : {}), ...(cursor ? {} : { count: '1' }) })
    const res = await fetch(`/api/sync/pull?${q}`, { headers: { authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) } })
    const body = (await res.json()) as Extract<PullResponse, { changes: unknown }>
    answers.push(body)
    cursor = body.cursor
    if (!body.hasMore) break
  }
  return answers
}

/** The engine's own cost: a first sync of the same answers, handed over from memory (no network,
 *  no JSON, no page around it), into a fresh database. */
async function engineFromMemory(answers: PullResponse[]): Promise<number> {
  const mem = new ZoufangDb('zoufang-floor-engine')
  await mem.delete({ disableAutoOpen: false })
  await mem.open()
  let i = 0
  const transport = { push: () => Promise.reject(new Error('nothing to push')), putAttachment: () => Promise.reject(new Error('no photos')), pull: async () => answers[i++]! }
  const engine = new SyncEngine({ db: mem, deviceId: uuidv7(), transport })
  const t0 = performance.now()
  await engine.syncOnce()
  const ms = performance.now() - t0
  await mem.delete()
  return ms
}

async function writePages(db: Dexie, pages: Array<Map<string, Record<string, unknown>[]>>): Promise<number> {
  const t0 = performance.now()
  for (const rows of pages)
    await db.transaction('rw', [...rows.keys()], async () => {
      for (const [table, list] of rows) await db.table(table).bulkPut(list)
    })
  return performance.now() - t0
}

/** The floors under a first sync: the same pull pages (fetched first, untimed) written with plain
 *  Dexie bulkPut into a fresh database, one transaction per page as the engine commits them — no
 *  network, no JSON, no outbox or cursor bookkeeping.
 *  - `ms`: one row per record (the schema before packing; the floor the issue names);
 *  - `packedMs`: the same records as the app keeps them, visits packed per household (grouped
 *    beforehand, untimed; the packs spread over as many transactions). */
async function bulkPutFloor(username: string) {
  const answers = await pullAnswers(username)
  const pages = answers.map((a) => ('changes' in a ? a.changes : []))
  const flat = flatDb('zoufang-floor')
  await flat.delete({ disableAutoOpen: false })
  await flat.open()
  const flatPages = pages.map((changes) => {
    const rows = new Map<string, Record<string, unknown>[]>()
    for (const c of changes) {
      if (c.deleted || !c.data) continue
      const table = FLAT_TABLE[c.entity]
      if (!rows.has(table)) rows.set(table, [])
      rows.get(table)!.push({ ...c.data, _v: c.version })
    }
    return rows
  })
  const ms = await writePages(flat, flatPages)
  let records = 0
  for (const table of Object.values(FLAT_TABLE)) records += await flat.table(table).count()
  await flat.delete()

  const packed = new ZoufangDb('zoufang-floor-packed')
  await packed.delete({ disableAutoOpen: false })
  await packed.open()
  // Each page's visits and residents as the app keeps them: one pack per household (each written
  // once, in the page where its household's records come).
  const packsOf = (records: Record<string, unknown>[], field: string) =>
    [...groupByHousehold(records as Array<{ householdId: string }>)].map(([householdId, list]) => ({ householdId, [field]: list }))
  const packedPages = flatPages.map((rows) => {
    const out = new Map([...rows].filter(([t]) => t !== 'visits' && t !== 'residents'))
    const visits = packsOf(rows.get('visits') ?? [], 'visits')
    const residents = packsOf(rows.get('residents') ?? [], 'residents')
    if (visits.length) out.set('visitPacks', visits)
    if (residents.length) out.set('residentPacks', residents)
    return out
  })
  const packedMs = await writePages(packed, packedPages)
  await packed.delete()
  const engineMs = await engineFromMemory(answers)
  return { ms, packedMs, engineMs, records, pages: pages.length }
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

/** A 12-megapixel camera-like JPEG (4000×3000, textured so it compresses like a photo). */
async function cameraJpeg(): Promise<Blob> {
  const canvas = new OffscreenCanvas(4000, 3000)
  const ctx = canvas.getContext('2d')!
  const g = ctx.createLinearGradient(0, 0, 4000, 3000)
  g.addColorStop(0, '#8a9bb0')
  g.addColorStop(1, '#c7b299')
  ctx.fillStyle = g
  ctx.fillRect(0, 0, 4000, 3000)
  const noise = ctx.createImageData(400, 300)
  for (let i = 0; i < noise.data.length; i++) noise.data[i] = (i % 4 === 3 ? 90 : (i * 2654435761) >>> 24)
  for (let x = 0; x < 4000; x += 400) for (let y = 0; y < 3000; y += 300) ctx.putImageData(noise, x, y)
  for (let i = 0; i < 400; i++) {
    ctx.fillStyle = `hsl(${(i * 37) % 360} 40% ${30 + (i % 40)}%)`
    ctx.fillRect((i * 977) % 4000, (i * 613) % 3000, 40 + (i % 200), 30 + (i % 150))
  }
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 })
}

async function photoPipeline(runs: number) {
  const source = await cameraJpeg()
  const times: number[] = []
  let out = { size: 0, width: 0, height: 0 }
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    const photo = await compressPhoto(source)
    const sha256 = await sha256Hex(photo.blob)
    await db.photos.put({ sha256: `${sha256.slice(0, 60)}${String(i).padStart(4, '0')}`, blob: photo.blob, mime: photo.mime, size: photo.blob.size, width: photo.width, height: photo.height, uploaded: 0, createdAt: new Date().toISOString() })
    times.push(performance.now() - t0)
    out = { size: photo.blob.size, width: photo.width, height: photo.height }
  }
  return { times, sourceBytes: source.size, ...out }
}

Object.assign(window, { bench: { firstSync, bulkPutFloor, visitSaves, searches, photoPipeline } })
document.title = 'ready'
