import type { Change, MutationResult } from '../../domain'
import { MAX_PUSH_BATCH, PROTOCOL_VERSION } from '../../domain/constants'
import type { OutboxRow, ZoufangDb } from '../db/database'
import { getMeta, RECORD_TABLES, setMeta, TABLE_OF } from '../db/database'
import { SyncFailure, type Transport } from './transport'

const photoIdsOf = (r: OutboxRow): string[] => (Array.isArray(r.data.photoIds) ? (r.data.photoIds as string[]) : [])

export interface SyncReport {
  pushed: number
  rejected: number
  pulled: number
  photos: number
}

export interface EngineOptions {
  db: ZoufangDb
  transport: Transport
  deviceId: string
  pushBatch?: number
  pullLimit?: number
}

/** One sync pass: push what waits, then pull until caught up. Stateless between calls: all it
 *  knows lives in Dexie, so a reload or a crash mid-way loses nothing and repeats nothing. */
export class SyncEngine {
  private readonly pushBatch: number
  private readonly pullLimit: number

  constructor(private readonly opts: EngineOptions) {
    this.pushBatch = Math.min(opts.pushBatch ?? 100, MAX_PUSH_BATCH)
    this.pullLimit = opts.pullLimit ?? 1000
  }

  async syncOnce(): Promise<SyncReport> {
    const report: SyncReport = { pushed: 0, rejected: 0, pulled: 0, photos: 0 }
    try {
      await this.uploadPhotos(report)
      await this.push(report)
    } catch (err) {
      // A push that keeps failing (a server bug on one batch) must not also cut the device off
      // from everyone else's changes: pull anyway, then report the push failure.
      if (err instanceof SyncFailure && (err.kind === 'auth' || err.kind === 'protocol')) throw err
      await this.pull(report)
      throw err
    }
    await this.pull(report)
    // Changes saved while we pulled go out now rather than on the next trigger.
    if (await this.sendable().then((rows) => rows.length > 0)) await this.push(report)
    return report
  }

  /** Photos go up before the changes that show them. A photo the server refuses for good (not an
   *  image, too big) keeps its reason and stays on the device; the change waits, visible. */
  private async uploadPhotos(report: SyncReport): Promise<void> {
    const { db, transport } = this.opts
    // Only photos a queued change shows: one picked for a form that was then abandoned stays put.
    const referenced = new Set((await db.outbox.toArray()).flatMap((r) => (Array.isArray(r.data.photoIds) ? (r.data.photoIds as string[]) : [])))
    const pending = (await db.photos.where('uploaded').equals(0).toArray()).filter((p) => referenced.has(p.sha256))
    for (const p of pending) {
      try {
        await transport.putAttachment(p.sha256, p.blob, p.mime)
        await db.photos.update(p.sha256, { uploaded: 1, error: undefined })
        report.photos++
      } catch (err) {
        if (err instanceof SyncFailure && err.kind === 'client') await db.photos.update(p.sha256, { error: err.message })
        else throw err
      }
    }
  }

  /** Pending rows in queue order, minus those waiting behind a refused change of the same record
   *  (design.md: later mutations of the same record wait behind it). */
  private async queued(): Promise<OutboxRow[]> {
    const refused = new Set<string>()
    return (await this.opts.db.outbox.orderBy('seq').toArray()).filter((r) => {
      if (r.state === 'rejected') refused.add(r.entityId)
      return !refused.has(r.entityId)
    })
  }

  /** What the next batch may carry: the first queued change of each record, if all its photos are
   *  on the server. A later change of the same record waits for this one's answer: sent in the
   *  same batch, it would be applied even if this one is refused. */
  private async sendable(): Promise<OutboxRow[]> {
    const { db } = this.opts
    const notUploaded = new Set((await db.photos.where('uploaded').equals(0).primaryKeys()) as string[])
    const first = new Set<string>()
    const out: OutboxRow[] = []
    for (const r of await this.queued()) {
      if (first.has(r.entityId)) continue
      first.add(r.entityId)
      if (!photoIdsOf(r).some((id) => notUploaded.has(id))) out.push(r)
    }
    return out
  }

  private async push(report: SyncReport): Promise<void> {
    const { db, transport, deviceId } = this.opts
    for (;;) {
      const batch = (await this.sendable()).slice(0, this.pushBatch)
      if (batch.length === 0) return
      await db.outbox.bulkPut(batch.map((r) => ({ ...r, attempts: r.attempts + 1 })))
      const res = await transport.push({
        deviceId,
        protocolVersion: PROTOCOL_VERSION,
        mutations: batch.map((r) => ({
          mutationId: r.mutationId,
          entity: r.entity,
          id: r.entityId,
          op: r.op,
          ...(r.baseVersion !== undefined ? { baseVersion: r.baseVersion } : {}),
          data: r.data,
          at: r.at,
        })),
      })
      const byId = new Map(res.results.map((x) => [x.mutationId, x]))
      let progressed = false
      for (const row of batch) {
        const result = byId.get(row.mutationId)
        if (!result) continue // unanswered: stays pending, sent again next pass
        progressed = true
        if (result.status === 'rejected') report.rejected++
        else report.pushed++
        await this.settle(row, result)
      }
      if (!progressed) throw new SyncFailure('server', '服务器没有处理提交的更改')
    }
  }

  /** Records the server's answer for one outbox row, in one transaction. */
  private async settle(row: OutboxRow, result: MutationResult): Promise<void> {
    const { db } = this.opts
    const tables = [db.outbox, db.parked, db.table(TABLE_OF[row.entity])]
    await db.transaction('rw', tables, async () => {
      if (result.status === 'rejected') {
        await db.outbox.update(row.seq!, {
          state: 'rejected',
          error: result.error ?? { code: 'INTERNAL', message: '服务器拒绝了这条更改' },
        })
        return
      }
      await db.outbox.delete(row.seq!)
      const version = result.version
      const table = db.table(TABLE_OF[row.entity])
      // Our own later edits of this record keep the base version the device saw: the server knows
      // this device's earlier edit is not someone else's, while a field someone else changed since
      // that base is a conflict the secretary must see, whatever of ours was answered in between.
      if ((await db.outbox.where('entityId').equals(row.entityId).count()) > 0) return
      const key = `${row.entity}:${row.entityId}`
      const parked = await db.parked.get(key)
      if (parked && (version === undefined || parked.version >= version)) {
        // The server's copy already includes our change: take it as the truth.
        if (parked.deleted) await table.delete(parked.id)
        else await table.put({ ...parked.data, _v: parked.version })
      } else if (version !== undefined) {
        const local = await table.get(row.entityId)
        if (local && (local._v ?? 0) < version) await table.update(row.entityId, { _v: version })
      }
      if (parked) await db.parked.delete(key)
    })
  }

  private async pull(report: SyncReport): Promise<void> {
    const { db, transport } = this.opts
    if (await getMeta<boolean>(db, 'fullPullNeeded')) await this.startOver()
    let cursor = await getMeta<string>(db, 'cursor')
    let resets = 0
    for (;;) {
      const res = await transport.pull(cursor, this.pullLimit)
      if ('reset' in res) {
        if (++resets > 1) throw new SyncFailure('server', '服务器要求重新同步，但一直没有完成')
        await this.startOver()
        cursor = undefined
        continue
      }
      await this.applyPage(res.changes, res.cursor)
      report.pulled += res.changes.length
      cursor = res.cursor
      if (!res.hasMore) break
    }
    await setMeta(db, 'lastSyncAt', new Date().toISOString())
  }

  /** Re-pull everything: drop every record that has no unsent change; the outbox stays. */
  private async startOver(): Promise<void> {
    const { db } = this.opts
    await db.transaction('rw', [db.outbox, db.parked, db.meta, ...RECORD_TABLES.map((t) => db.table(t))], async () => {
      const keep = new Set((await db.outbox.orderBy('entityId').uniqueKeys()) as string[])
      for (const name of RECORD_TABLES) {
        const table = db.table(name)
        const ids = (await table.toCollection().primaryKeys()) as string[]
        await table.bulkDelete(ids.filter((id) => !keep.has(id)))
      }
      await db.parked.clear()
      await db.meta.delete('cursor')
      await db.meta.delete('fullPullNeeded')
    })
  }

  /** A page and its cursor commit together: a crash repeats the page, never skips it. */
  private async applyPage(changes: Change[], cursor: string): Promise<void> {
    const { db } = this.opts
    await db.transaction('rw', [db.outbox, db.parked, db.meta, ...RECORD_TABLES.map((t) => db.table(t))], async () => {
      const waiting = new Set((await db.outbox.orderBy('entityId').uniqueKeys()) as string[])
      const puts = new Map<string, Record<string, unknown>[]>()
      const deletes = new Map<string, string[]>()
      const parked = []
      for (const c of changes) {
        if (waiting.has(c.id)) {
          // Never overwrite a record with unsent changes; keep the server's copy for when they drain.
          parked.push({ key: `${c.entity}:${c.id}`, entity: c.entity, id: c.id, version: c.version, deleted: c.deleted, data: c.data })
          continue
        }
        const table = TABLE_OF[c.entity]
        if (c.deleted || !c.data) listOf(deletes, table).push(c.id)
        else listOf(puts, table).push({ ...c.data, _v: c.version })
      }
      for (const [table, rows] of puts) await db.table(table).bulkPut(rows)
      for (const [table, ids] of deletes) await db.table(table).bulkDelete(ids)
      if (parked.length) await db.parked.bulkPut(parked)
      await db.meta.put({ key: 'cursor', value: cursor })
    })
  }
}

function listOf<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key)
  if (!list) map.set(key, (list = []))
  return list
}
