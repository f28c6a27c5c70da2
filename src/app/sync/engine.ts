import type { Entity, MutationResult, PullResponse } from '../../domain'
import { MAX_PULL_LIMIT, MAX_PUSH_BATCH, PROTOCOL_VERSION } from '../../domain/constants'
import { dayOfInstant, dayString } from '../../domain/householdState'
import type { OutboxRow, ZoufangDb } from '../db/database'
import { getMeta, RECORD_TABLES, setMeta, TABLE_OF } from '../db/database'
import { deleteRecords, householdOf, putRecord, putRecords, recordTables } from '../db/records'
import { keepResidents } from '../db/residents'
import { keepVisits } from '../db/visits'
import { keepServerWord, noteCellsHeld, offlineVisitsByCell, settleCellsLeft } from './cellsLeft'
import { ApiFailure } from '../api/client'
import type { Transport } from '../api/sync'
import { PullPages } from './pullPages'
import { noteVisitWindow, pruneVisits, windowFresh } from './visitWindow'

export interface SyncReport {
  pushed: number
  rejected: number
  pulled: number
  photos: number
  /** Records this pass's pull is to bring in all, as the server stated it at its start (with a
   *  reset: at the start over); absent until the first page answers. */
  total?: number
}

export interface EngineOptions {
  db: ZoufangDb
  transport: Transport
  deviceId: string
  pushBatch?: number
  pullLimit?: number
  /** The pages of a pull from the start, already asked for (`firstPulls(transport)`, by the sync
   *  store right after a login on an empty device). Taken once, by the first pull that finds no
   *  cursor; any other pull drops them unread. */
  firstPages?: PullPages
  /** The pass so far (records received, changes and photos sent), for the status bar: called at
   *  the start of a pass and after each photo, batch and page. */
  onProgress?: (report: Readonly<SyncReport>) => void
  /** Called with true before the first page of a pull that has more pages behind it, and with
   *  false when that pull ends (however it ends). Meanwhile the UI's whole-table live queries
   *  hold still (db/useLiveQuery.ts), so that each page costs the same however much is stored. */
  onBulkPull?: (active: boolean) => void
  /** The calendar day, for pruning an office device's old visits once a day (tests set it). */
  today?: () => string
}

/** How many times a change is sent again after the server said one of its photos is missing
 *  (purged after its grace period, or never received) before it becomes a visible refusal. */
export const MISSING_PHOTO_ROUNDS = 3

/** A pull from the start asks for a small first page: the device starts writing as soon as
 *  possible, and the full-size pages come while it does. */
export const FIRST_PULL_PAGE = 250

/** Every later page: as many records as the server gives in one answer (MAX_PULL_LIMIT; its byte
 *  budget cuts a page of big records shorter). Each page costs a request and a transaction over
 *  and above its records, so fewer, fuller pages make a first sync faster (bench/firstSync.ts:
 *  pages of 500, 1000 and 2000 records, 12, 6 and 4 pages for a worker's copy). */
export const PULL_PAGE = MAX_PULL_LIMIT

/** A pull from the start's pages, asked for at once (the first with the count of what is to come). */
export const firstPulls = (transport: Transport, limit = PULL_PAGE): PullPages =>
  new PullPages(transport, limit, { limit: Math.min(FIRST_PULL_PAGE, limit), count: true })

/** The photos a pending change shows, read by its kind's type: its own, and a matter's tasks'
 *  (办, a task done with its photos). */
const photoIdsOf = ({ data }: OutboxRow): string[] => [
  ...('photoIds' in data && data.photoIds ? data.photoIds : []),
  ...('tasks' in data && data.tasks ? data.tasks.flatMap((t) => t.photoIds ?? []) : []),
]

/** The server holds only so many uploaded photos that no record shows yet, per user. */
const isUploadQuota = (err: unknown) => err instanceof ApiFailure && err.apiError?.code === 'QUOTA_EXCEEDED'

/** Times this pending change was sent back for a missing photo, kept in the server's last answer. */
function missingPhotoRounds(r: OutboxRow): number {
  const rounds = r.error?.code === 'ATTACHMENT_MISSING' ? (r.error.details as { rounds?: unknown } | undefined)?.rounds : undefined
  return typeof rounds === 'number' ? rounds : 0
}

/** One sync pass: push what waits, then pull until caught up. Stateless between calls: all it
 *  knows lives in Dexie, so a reload or a crash mid-way loses nothing and repeats nothing. */
export class SyncEngine {
  private readonly pushBatch: number
  private readonly pullLimit: number
  private firstPages: PullPages | undefined

  constructor(private readonly opts: EngineOptions) {
    this.pushBatch = Math.min(opts.pushBatch ?? 100, MAX_PUSH_BATCH)
    this.pullLimit = opts.pullLimit ?? PULL_PAGE
    this.firstPages = opts.firstPages
  }

  async syncOnce(): Promise<SyncReport> {
    const report: SyncReport = { pushed: 0, rejected: 0, pulled: 0, photos: 0 }
    const pass = { full: false }
    this.progress(report)
    // Which visits were made offline, by cell, before the push takes them off the queue: if a
    // cell has left this worker, the pull's start-over notes them for the notice (cellsLeft.ts).
    const offline = await offlineVisitsByCell(this.opts.db)
    try {
      await this.send(report, pass)
    } catch (err) {
      // A push that keeps failing (a server bug on one batch) must not also cut the device off
      // from everyone else's changes: pull anyway, then report the push failure.
      if (err instanceof ApiFailure && (err.kind === 'auth' || err.kind === 'protocol')) throw err
      await this.pull(report, offline)
      throw err
    }
    await this.pull(report, offline)
    // Changes saved while we pulled go out now rather than on the next trigger.
    await this.send(report, pass)
    return report
  }

  private progress(report: SyncReport): void {
    this.opts.onProgress?.({ ...report })
  }

  /** Photos go up before the changes that show them. The server keeps only so many uploaded
   *  photos that no record shows yet, per user: when it says that allowance is full, the changes
   *  whose photos are up go first (that makes their photos shown, which frees the allowance),
   *  then the next photos, for as long as that gets anywhere. `pass.full` remembers a full
   *  allowance for the rest of the pass, so the server is not asked again for nothing. A change
   *  sent back for a missing photo has it uploaded again here too. */
  private async send(report: SyncReport, pass: { full: boolean }): Promise<void> {
    // Nothing queued (a new phone, most passes): nothing to upload or push; one read, not four.
    if ((await this.opts.db.outbox.count()) === 0) return
    for (;;) {
      const full = pass.full || (await this.uploadPhotos(report))
      const { shown, missing } = await this.push(report)
      pass.full = full && shown === 0
      if (!missing && !(full && shown > 0)) return
    }
  }

  /** Uploads the photos of the changes waiting to go out, in queue order, so that when the
   *  server's allowance runs out the earliest changes have all of theirs. Returns true when it ran
   *  out. A photo the server refuses for good (not an image, too big) keeps its reason and stays on
   *  the device; the change waits, visible. */
  private async uploadPhotos(report: SyncReport): Promise<boolean> {
    const { db, transport } = this.opts
    // Only photos a queued change shows: one picked for a form that was then abandoned stays put,
    // and those of a refused change wait until it is fixed (they would only take up the allowance).
    const wanted = new Set((await this.queued()).flatMap(photoIdsOf))
    const notUploaded = new Map((await db.photos.where('uploaded').equals(0).toArray()).map((p) => [p.sha256, p]))
    for (const sha256 of wanted) {
      const p = notUploaded.get(sha256)
      if (!p) continue
      try {
        await transport.putAttachment(p.sha256, p.blob, p.mime)
        await db.photos.update(p.sha256, { uploaded: 1, error: undefined, errorCode: undefined })
        report.photos++
        this.progress(report)
      } catch (err) {
        if (isUploadQuota(err)) return true
        if (err instanceof ApiFailure && err.kind === 'client') await db.photos.update(p.sha256, { error: err.message, errorCode: err.code })
        else throw err
      }
    }
    return false
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

  /** Pushes batches until nothing more can go. Says how many acknowledged changes show photos
   *  (those photos no longer count against the server's allowance) and whether a change was sent
   *  back for a missing photo (its photos are to be uploaded again, then it is resent). */
  private async push(report: SyncReport): Promise<{ shown: number; missing: boolean }> {
    const { db, transport, deviceId } = this.opts
    const out = { shown: 0, missing: false }
    for (;;) {
      const batch = (await this.sendable()).slice(0, this.pushBatch)
      if (batch.length === 0) return out
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
        const outcome = await this.settle(row, result)
        if (outcome === 'photo_missing') out.missing = true
        else report[outcome]++
        if (outcome === 'pushed' && photoIdsOf(row).length > 0) out.shown++
      }
      this.progress(report)
      if (!progressed) throw new ApiFailure('server', '服务器没有处理提交的更改')
    }
  }

  /** Records the server's answer for one outbox row, in one transaction. */
  private async settle(row: OutboxRow, result: MutationResult): Promise<'pushed' | 'rejected' | 'photo_missing'> {
    const { db } = this.opts
    const tables = [db.outbox, db.parked, db.photos, db.table(TABLE_OF[row.entity])]
    return db.transaction('rw', tables, async () => {
      if (result.status === 'rejected') {
        const error = result.error ?? { code: 'INTERNAL' as const, message: '服务器拒绝了这条更改' }
        const photoIds = photoIdsOf(row)
        const rounds = missingPhotoRounds(row)
        if (error.code === 'ATTACHMENT_MISSING' && photoIds.length > 0 && rounds < MISSING_PHOTO_ROUNDS) {
          // The server does not have a photo we marked as uploaded (purged after its grace
          // period, or never received): nothing would ever upload it again. Upload them all
          // again and resend, a few times at most; then it is refused like any other change.
          await db.photos.where('sha256').anyOf(photoIds).modify({ uploaded: 0 })
          await db.outbox.update(row.seq!, { error: { ...error, details: { rounds: rounds + 1 } } })
          return 'photo_missing'
        }
        await db.outbox.update(row.seq!, { state: 'rejected', error })
        return 'rejected'
      }
      await db.outbox.delete(row.seq!)
      // The device's copy keeps the version it was pulled at, and our later edits of the record
      // keep the base version the device saw. Ours landed on top of whatever else the server had,
      // which the device sees at its next pull: claiming the new version before that would make a
      // later edit of a field someone else changed meanwhile look like no conflict, and overwrite
      // their value silently. (The server knows this device's own earlier edit is not someone else's.)
      if ((await db.outbox.where('entityId').equals(row.entityId).count()) > 0) return 'pushed'
      const key = `${row.entity}:${row.entityId}`
      const parked = await db.parked.get(key)
      if (!parked) return 'pushed'
      if (result.version === undefined || parked.version >= result.version) {
        // The server's copy already includes our change: take it as the truth.
        if (parked.deleted) await deleteRecords(db, row.entity, [parked.id], householdOf(row.data))
        else await putRecord(db, row.entity, { ...parked.data, _v: parked.version })
      }
      // An older copy is dropped: the next pull brings the one with our change in it.
      await db.parked.delete(key)
      return 'pushed'
    })
  }

  private async pull(report: SyncReport, offline: Record<string, string[]>): Promise<void> {
    const { db, transport } = this.opts
    const cursor = (await getMeta<boolean>(db, 'fullPullNeeded')) ? undefined : await getMeta<string>(db, 'cursor')
    let resets = 0
    let bulk = false
    // The first request of the pass (and of a start over) asks how much is to come.
    let fromStart = cursor === undefined
    // A pull from the start begins on a device that holds nothing but its unsent changes (a new
    // phone does; one whose first pull failed before a page landed may hold records it sent):
    // its snapshot's pages can then be written without looking for earlier copies (applyPage).
    if (fromStart) await this.startOver(offline)
    const early = fromStart ? this.firstPages : undefined
    if (!fromStart) this.firstPages?.stop()
    this.firstPages = undefined
    // The pages come one after another as fast as the server answers (pullPages.ts): the next is
    // on its way while this one is written. Pages still commit in order, each with its cursor; if
    // one fails, those after it are dropped unread (and fetched again next pass).
    let pages = early ?? (fromStart ? firstPulls(transport, this.pullLimit) : new PullPages(transport, this.pullLimit, { cursor, limit: this.pullLimit, count: true }))
    try {
      // A new phone's first pull is many pages: hold the whole-table queries still from the start,
      // while the home page is being drawn, not from the first answer on.
      if (early) this.opts.onBulkPull?.((bulk = true))
      for (;;) {
        const res = await pages.take()
        if ('reset' in res) {
          if (++resets > 1) throw new ApiFailure('server', '服务器要求重新同步，但一直没有完成')
          await this.startOver(offline)
          fromStart = true
          pages = firstPulls(transport, this.pullLimit)
          continue
        }
        // Only an answer to a request that asked (count=1) states it.
        if (res.total !== undefined) report.total = report.pulled + res.total
        if (res.hasMore && !bulk) this.opts.onBulkPull?.((bulk = true))
        // The last page commits with what ends the pull: one transaction, not four more.
        await this.applyPage(res, fromStart, res.hasMore ? undefined : () => this.pullDone(fromStart))
        report.pulled += res.changes.length
        this.progress(report)
        if (!res.hasMore) break
      }
    } finally {
      pages.stop()
      if (bulk) this.opts.onBulkPull?.(false)
    }
  }

  /** A pull is through: cells that left become notices, old visits leave an office device, and
   *  the time is noted. Runs inside the last page's transaction. */
  private async pullDone(fromStart: boolean): Promise<void> {
    const { db } = this.opts
    await settleCellsLeft(db)
    const today = this.opts.today?.() ?? dayString(dayOfInstant(Date.now()))
    // After a pull from the start the device holds exactly the window: no need to read it all.
    if (fromStart) await windowFresh(db, today)
    else await pruneVisits(db, today)
    await setMeta(db, 'lastSyncAt', new Date().toISOString())
  }

  /** Re-pull everything: drop every record that has no unsent change; the outbox stays. */
  private async startOver(offline: Record<string, string[]>): Promise<void> {
    const { db } = this.opts
    await db.transaction('rw', [db.outbox, db.parked, db.meta, ...recordTables(db)], async () => {
      await noteCellsHeld(db, offline)
      const keep = new Set((await db.outbox.orderBy('entityId').uniqueKeys()) as string[])
      // Every table at once, not one after another: on a new phone (every pull from no cursor
      // starts here) that is one round of empty reads, while the first page is on its way.
      await Promise.all(
        RECORD_TABLES.map(async (name) => {
          if (name === TABLE_OF.visit || name === TABLE_OF.resident) return void (await (name === TABLE_OF.visit ? keepVisits : keepResidents)(db, (r) => keep.has(r.id)))
          const table = db.table(name)
          const ids = (await table.toCollection().primaryKeys()) as string[]
          await table.bulkDelete(ids.filter((id) => !keep.has(id)))
        }),
      )
      await db.parked.clear()
      await db.meta.delete('cursor')
      await db.meta.delete('fullPullNeeded')
    })
  }

  /** A page and its cursor commit together: a crash repeats the page, never skips it. A page of
   *  the snapshot of a pull that started over in this pass comes to a device that held nothing
   *  but its unsent changes, and the snapshot sends each record once: none of its records can be
   *  on the device but those parked here, so no resident is looked for in other packs and
   *  tombstones delete nothing. A snapshot resumed in a later pass is written the careful way:
   *  meanwhile a push may have been answered (its record no longer kept in the outbox). */
  private async applyPage(page: Extract<PullResponse, { changes: unknown }>, fromStart: boolean, then?: () => Promise<void>): Promise<void> {
    const { db } = this.opts
    const fresh = fromStart && page.snapshot === true
    await db.transaction('rw', [db.outbox, db.parked, db.meta, ...recordTables(db)], async () => {
      const waiting = new Set((await db.outbox.orderBy('entityId').uniqueKeys()) as string[])
      const puts = new Map<Entity, Record<string, unknown>[]>()
      const deletes = new Map<Entity, string[]>()
      const parked = []
      for (const c of page.changes) {
        if (waiting.has(c.id)) {
          // Never overwrite a record with unsent changes; keep the server's copy for when they drain.
          parked.push({ key: `${c.entity}:${c.id}`, entity: c.entity, id: c.id, version: c.version, deleted: c.deleted, data: c.data })
          continue
        }
        if (c.deleted || !c.data) {
          if (!fresh) listOf(deletes, c.entity).push(c.id)
        } else listOf(puts, c.entity).push({ ...c.data, _v: c.version })
      }
      for (const [entity, rows] of puts) await putRecords(db, entity, rows, { fresh })
      for (const [entity, ids] of deletes) await deleteRecords(db, entity, ids)
      if (parked.length) await db.parked.bulkPut(parked)
      if (page.cellsLeft) await keepServerWord(db, page.cellsLeft)
      await noteVisitWindow(db, page.visitsFrom)
      await db.meta.put({ key: 'cursor', value: page.cursor })
      await then?.()
    })
  }
}

function listOf<T>(map: Map<Entity, T[]>, key: Entity): T[] {
  let list = map.get(key)
  if (!list) map.set(key, (list = []))
  return list
}
