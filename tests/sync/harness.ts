import 'fake-indexeddb/auto'
import { uuidv7 } from '../../src/domain'
import { ZoufangDb } from '../../src/app/db/database'
import { SyncEngine } from '../../src/app/sync/engine'
import { createHttpTransport } from '../../src/app/sync/transport'
import type { TestServer } from '../support/server'

export type Fault = 'drop-request' | 'drop-response' | 'server-500' | 'none'

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
    this.engine = new SyncEngine({
      db: this.db,
      deviceId: this.deviceId,
      transport: createHttpTransport({ baseUrl: this.baseUrl, getToken: () => this.token, fetch: faultyFetch, timeoutMs: 10_000 }),
    })
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

/** What the server holds for a grid cell, table by table, as the device would store it. */
export async function serverView(s: TestServer, gridId: string) {
  const view: Record<string, Map<string, unknown>> = {}
  for (const [name, table] of [
    ['households', 'households'],
    ['residents', 'residents'],
    ['visits', 'visits'],
    ['buildings', 'buildings'],
  ] as const) {
    const rows = await s.store.selectFrom(table).select(['id', 'data', 'version']).where('grid_id', '=', gridId).where('deleted', '=', 0).execute()
    view[name] = new Map(rows.map((r) => [r.id, { ...JSON.parse(r.data), _v: Number(r.version) }]))
  }
  return view
}

export async function deviceView(d: Device) {
  const view: Record<string, Map<string, unknown>> = {}
  for (const name of ['households', 'residents', 'visits', 'buildings'] as const) {
    const rows = (await d.db.table(name).toArray()) as Array<{ id: string }>
    view[name] = new Map(rows.map((r) => [r.id, r]))
  }
  return view
}
