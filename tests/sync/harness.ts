import 'fake-indexeddb/auto'
import { sql } from 'kysely'
import { expect } from 'vitest'
import { COMPLETES, DEFAULT_OFFICE_VISIT_DAYS, type Entity, isSensitiveTag, maskName, maskPhone, type Tag, uuidv7, type Visit, visitHistories } from '../../src/domain'
import { TABLE_OF, ZoufangDb } from '../../src/app/db/database'
import { allRecords } from '../../src/app/db/records'
import { type EngineOptions, SyncEngine } from '../../src/app/sync/engine'
import { createHttpTransport, type Transport } from '../../src/app/api/sync'
import { ENTITY_TABLES } from '../../src/server/store/schema'
import type { TestServer } from '../support/server'

/** Households in the test community of files that need no more: a quicker server start (the
 *  mutation run starts one per test file for every mutant). */
export const SMALL_COMMUNITY = 200

export type Fault = 'drop-request' | 'drop-response' | 'server-500' | 'none'

export interface DeviceOptions {
  /** Wraps the real HTTP transport, for answers the real server cannot be made to give. */
  wrap?: (t: Transport) => Transport
  pushBatch?: number
  pullLimit?: number
  onProgress?: EngineOptions['onProgress']
  onBulkPull?: EngineOptions['onBulkPull']
  firstPages?: EngineOptions['firstPages']
  today?: EngineOptions['today']
}

/** A device: its own IndexedDB, the real engine and HTTP transport, and a fetch that can be
 *  told to fail the next requests in a chosen way. */
export class Device {
  db: ZoufangDb
  engine!: SyncEngine
  readonly faults: Fault[] = []
  readonly seen: Array<{ url: string; fault: Fault }> = []
  readonly name = `device-${uuidv7()}`
  readonly deviceId = uuidv7()

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly options: DeviceOptions = {},
  ) {
    this.db = new ZoufangDb(this.name)
    this.build()
  }

  private build() {
    const realFetch = globalThis.fetch.bind(globalThis)
    const faultyFetch: typeof fetch = async (input, init) => {
      const fault = this.faults.shift() ?? 'none'
      this.seen.push({ url: String(input), fault })
      if (fault === 'drop-request') throw new TypeError('fetch failed (request dropped)')
      if (fault === 'server-500')
        return new Response(JSON.stringify({ error: { code: 'INTERNAL', message: 'boom' } }), { status: 500 })
      const res = await realFetch(input, init)
      if (fault === 'drop-response') {
        await res.arrayBuffer() // the server has answered, so it has committed
        throw new TypeError('fetch failed (response dropped)')
      }
      return res
    }
    const http = createHttpTransport({ baseUrl: this.baseUrl, getToken: () => this.token, fetch: faultyFetch, timeoutMs: 10_000 })
    const { wrap, ...rest } = this.options
    this.engine = new SyncEngine({ db: this.db, deviceId: this.deviceId, transport: wrap ? wrap(http) : http, ...rest })
  }

  /** Closes the database and opens it again, as a reload of the page would. */
  async reload() {
    this.db.close()
    this.db = new ZoufangDb(this.name)
    await this.db.open()
    this.build()
  }

  /** Syncs until a pass succeeds (as the scheduler's retries would), at most `tries` passes. */
  async syncUntilOk(tries = 5) {
    let lastErr: unknown
    for (let i = 0; i < tries; i++) {
      try {
        return await this.engine.syncOnce()
      } catch (err) {
        lastErr = err
      }
    }
    throw lastErr
  }
}

export async function login(baseUrl: string, username: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'zoufang' }),
  })
  return ((await res.json()) as { token: string }).token
}

const ENTITIES = Object.keys(TABLE_OF) as Entity[]

/** Who the device belongs to, as far as what the server may send it: the grid cells of a worker
 *  (null: the whole community, as for the secretary) and whether 政法 tags may reach it. */
export interface Viewer {
  gridIds: readonly string[] | null
  sensitiveTags: boolean
}

/** What the server holds for a viewer, every synced table, as the device should store it: live
 *  records in the viewer's scope (a grid cell's own record by id; templates, teams, settings,
 *  campaigns, resources, projects and notices are the community's; volunteers' hours the office's; a
 *  matter, its steps and meetings by the cells it touches, its ledger the office's), tags
 *  the viewer may not see removed, a volunteer's contact data masked for a worker. Written from the contract, not by
 *  calling the server's pull, so a pull that sends too much or too little shows up here. */
export async function serverView(s: TestServer, viewer: Viewer) {
  const view: Record<string, Map<string, unknown>> = {}
  for (const entity of ENTITIES) {
    let q = s.store.selectFrom(ENTITY_TABLES[entity]).select(['id', 'data', 'version', 'grid_id']).where('deleted', '=', 0)
    const everyone = entity === 'checklistTemplate' || entity === 'team' || entity === 'settings' || entity === 'campaign' || entity === 'resource' || entity === 'project' || entity === 'notice'
    // (matters are scoped below, by the cells they touch)
    if (viewer.gridIds && !everyone) q = q.where(entity === 'gridCell' ? 'id' : 'grid_id', 'in', viewer.gridIds.length ? [...viewer.gridIds] : ['-'])
    // A campaign still in draft is the office's alone; so are volunteers' hours, all of them.
    if (viewer.gridIds && entity === 'campaign') q = q.where(sql<boolean>`status <> 'draft'`)
    if (viewer.gridIds && entity === 'serviceRecord') q = q.where(sql<boolean>`1 = 0`)
    // A matter, its steps and meetings go to the workers of the cells it touches; its ledger to the office alone.
    if (viewer.gridIds && entity === 'ledgerEntry') q = q.where(sql<boolean>`1 = 0`)
    const matterKey = { matter: 'id', matterStep: 'matter_id', meeting: 'matter_id' }[entity as string]
    if (viewer.gridIds && matterKey) {
      const cells = viewer.gridIds.length ? [...viewer.gridIds] : ['-']
      const ids = (await s.store.selectFrom('matter_cells').select('matter_id').where('grid_id', 'in', cells).execute()).map((r) => r.matter_id)
      q = s.store.selectFrom(ENTITY_TABLES[entity]).select(['id', 'data', 'version', 'grid_id']).where('deleted', '=', 0).where(sql.ref(matterKey), 'in', ids.length ? ids : ['-'])
    }
    const rows = await q.execute()
    view[entity] = new Map(
      rows.map((r) => {
        const data = JSON.parse(r.data) as Record<string, unknown>
        if (!viewer.sensitiveTags && Array.isArray(data.tags)) data.tags = (data.tags as Tag[]).filter((t) => !isSensitiveTag(t))
        // A volunteer reaches a worker with name masked, no phone (masked beside it), no register link.
        if (viewer.gridIds && entity === 'resource' && data.kind === 'volunteer') {
          const phone = data.contactPhone as string | null
          Object.assign(data, { name: maskName(data.name as string), contactName: maskName(data.contactName as string), contactPhone: null })
          if (phone) data.contactPhoneMasked = maskPhone(phone)
          data.volunteer = { ...(data.volunteer as object), residentId: null }
        }
        return [r.id, { ...data, _v: Number(r.version) }]
      }),
    )
  }
  return view
}

export async function deviceView(d: Device) {
  const view: Record<string, Map<string, unknown>> = {}
  for (const entity of ENTITIES) {
    const rows = (await allRecords(d.db, entity)) as Array<{ id: string }>
    view[entity] = new Map(rows.map((r) => [r.id, r]))
  }
  return view
}

/** Nothing left to send, and the device holds exactly what the server holds for it, entity by entity. */
export async function expectConverged(s: TestServer, d: Device, viewer: Viewer) {
  expect(await d.db.outbox.count()).toBe(0)
  const [server, device] = [await serverView(s, viewer), await deviceView(d)]
  expect(Object.keys(device).sort()).toEqual(Object.keys(server).sort())
  for (const table of Object.keys(server)) {
    if (table === 'visit' && viewer.gridIds === null) continue
    expect([...device[table]!.keys()].sort(), table).toEqual([...server[table]!.keys()].sort())
    for (const [id, rec] of server[table]!) expect(device[table]!.get(id), `${table} ${id}`).toEqual(rec)
  }
  if (viewer.gridIds !== null) return
  // An office device holds the visits of its window and each household's latest completed one;
  // a visit sent earlier that has since left the window may stay until the day's pruning.
  const required = await officeVisitIds(s)
  for (const id of required) expect(device.visit!.has(id), `visit ${id} on the office device`).toBe(true)
  for (const [id, rec] of device.visit!) expect(rec, `visit ${id}`).toEqual(server.visit!.get(id))
}

/** The visits an office device must hold (PullResponse.visitsFrom): begun within the settings'
 *  officeVisitDays, or its household's latest that reached somebody. */
async function officeVisitIds(s: TestServer): Promise<Set<string>> {
  const settings = await s.store.selectFrom('settings').select('data').executeTakeFirst()
  const days = settings ? ((JSON.parse(settings.data) as { officeVisitDays?: number }).officeVisitDays ?? DEFAULT_OFFICE_VISIT_DAYS) : DEFAULT_OFFICE_VISIT_DAYS
  const from = new Date(Date.now() - days * 86_400_000).toISOString()
  const visits = (await s.store.selectFrom('visits').select('data').where('deleted', '=', 0).execute()).map((r) => JSON.parse(r.data) as Visit)
  const latest = visitHistories(visits)
  return new Set(visits.filter((v) => v.startedAt >= from || (COMPLETES[v.outcome] && latest.get(v.householdId)?.lastCompletedAt === v.startedAt)).map((v) => v.id))
}
