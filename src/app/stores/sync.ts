import { defineStore } from 'pinia'
import { computed, ref, watch, type Ref } from 'vue'
import { uuidv7 } from '../../domain/ids'
import { isStreetRole } from '../../domain/roles'
import { getMeta, type OutboxRow } from '../db/database'
import { db } from '../db/instance'
import { bulkPull, useLiveQuery } from '../db/useLiveQuery'
import { readDeviceRecord, writeDeviceRecord } from '../sync/deviceRecord'
import { type CellLeftNotice, dismissCellLeft, readCellsLeft } from '../sync/cellsLeft'
import { firstPulls, SyncEngine, type SyncReport } from '../sync/engine'
import type { PullPages } from '../sync/pullPages'
import { discardRejected, dropPhotoFromOutbox, resendRejected } from '../sync/outbox'
import { SyncScheduler, type SyncStatus } from '../sync/scheduler'
import { nameOfChange, type Subject } from '../sync/subject'
import { createHttpTransport } from '../api/sync'
import { errorText } from '../i18n/errorText'
import { useSessionStore } from './session'

/** Sync state for the UI: connection, unsent changes, last good sync, refused changes. */
export const useSyncStore = defineStore('sync', () => {
  const session = useSessionStore()
  const online = ref(typeof navigator === 'undefined' ? true : navigator.onLine)
  const status = ref<SyncStatus>({ phase: 'idle', lastSyncAt: null, lastError: null, lastFailure: null, nextRetryAt: null })
  const outbox = useLiveQuery(() => db.outbox.orderBy('seq').toArray(), [])
  const unsent = computed(() => outbox.value.length)
  const rejected = computed(() => outbox.value.filter((r) => r.state === 'rejected'))
  /** The refused changes, each with the name of its record (an address, a case's title), for
   *  the 待处理 list: a person knows their records by these, never by an id. */
  const attention = useLiveQuery(async () => {
    const rows = (await db.outbox.orderBy('seq').toArray()).filter((r) => r.state === 'rejected')
    return Promise.all(rows.map(async (row) => ({ row, ...(await nameOfChange(db, row)) })))
  }, [] as Array<{ row: OutboxRow } & Subject>)
  /** Grid cells that left this worker at a sync, until dismissed; `waiting` counts their offline
   *  visits still on the phone (refused, in 待处理), live. */
  const cellsLeft = useLiveQuery(async () => {
    const notices = await readCellsLeft(db)
    if (!notices.length) return []
    const queued = new Set((await db.outbox.toArray()).filter((r) => r.entity === 'visit').map((r) => r.entityId))
    return notices.map((n) => ({ ...n, waiting: n.visitIds.filter((id) => queued.has(id)).length }))
  }, [] as Array<CellLeftNotice & { waiting: number }>)
  /** Photos the server refused for good (not an image, too big): the change showing them waits. */
  const photoProblems = useLiveQuery(
    async () =>
      (await db.photos.where('uploaded').equals(0).toArray())
        .filter((p) => p.error)
        .map((p) => ({ sha256: p.sha256, error: errorText(p.errorCode ? { code: p.errorCode, message: p.error! } : new Error(p.error)), size: p.size })),
    [] as Array<{ sha256: string; error: string; size: number }>,
  )
  /** Everything waiting for the user: refused changes and refused photos. */
  const needsAttention = computed(() => rejected.value.length + photoProblems.value.length)
  /** A whole pull has ended on this device once (the cursor alone is there after its first page). */
  const firstSyncDone = useLiveQuery(async () => (await getMeta<string>(db, 'lastSyncAt')) !== undefined, true)
  /** Set when the browser wiped this phone's database while we were logged in (eviction, "clear
   *  site data"): everything is downloaded again, and whether unsent records were lost is said. */
  const dbLost = ref<{ unsent: number; at: string } | null>(null)
  /** The pass under way so far (records received, changes sent), for the status bar. */
  const progress = ref<SyncReport | null>(null)
  let scheduler: SyncScheduler | null = null
  /** The start in flight or done. After a login both the login page (resume) and App.vue start
   *  sync, and start awaits before the scheduler exists: a second call joins the first instead of
   *  making a second scheduler (two timers, and a second pass that finds the lock taken and tells
   *  the status bar "idle" while the first is still syncing). */
  let starting: Promise<void> | null = null
  /** Bumped by stop(), so a start still in flight does not bring a scheduler back. */
  let epoch = 0
  /** Keeps the witness in localStorage up to date while sync runs; set by launch, cleared by stop. */
  let recordUnsent: ((n: number) => void) | null = null
  /** The pages asked for right after a login, until stop(). */
  let early: PullPages | undefined
  // One watcher for the store's life, made here in its scope (disposed with it), never one per
  // login: a watch made in launch, after an await, belongs to no scope, and a start that failed
  // halfway left one behind for the next start to double.
  watch(unsent, (n) => recordUnsent?.(n))

  if (typeof window !== 'undefined') {
    window.addEventListener('online', () => (online.value = true))
    window.addEventListener('offline', () => (online.value = false))
  }

  function start(): Promise<void> {
    // The street office's staff sync nothing: no community's records are theirs to hold.
    if (!session.token || isStreetRole(session.user?.role)) return Promise.resolve()
    starting ??= launch(epoch).catch((err: unknown) => {
      starting = null
      throw err
    })
    return starting
  }

  async function launch(mine: number): Promise<void> {
    const user = session.user!
    const transport = createHttpTransport({ baseUrl: '', getToken: () => session.token })
    // Right after a login on an empty device the pull starts from nothing: ask for its pages now,
    // while the device is read and the home page drawn, rather than after (issue 11).
    const firstPages = session.emptyDevice ? firstPulls(transport) : undefined
    early = firstPages
    // And the home page, drawn meanwhile, reads no whole tables that are about to fill: it shows
    // the first sync's progress (the engine lets go when the pull ends; onStatus below, if not).
    if (firstPages) bulkPull.value = true
    session.emptyDevice = false
    const known = readDeviceRecord()
    // One read of the device, not one per value: the first pull waits for it.
    const stored = await db.transaction('r', db.meta, db.outbox, async () => ({
      deviceId: await getMeta<string>(db, 'deviceId'),
      lastSyncAt: (await getMeta<string>(db, 'lastSyncAt')) ?? null,
      unsent: await db.outbox.count(),
    }))
    let deviceId = stored.deviceId
    if (!deviceId) {
      // A record in localStorage for this user but no database: IndexedDB was cleared under us.
      if (known && known.ownerId === user.id) dbLost.value = { unsent: known.unsent, at: known.at }
      deviceId = uuidv7()
      await db.meta.bulkPut([
        { key: 'deviceId', value: deviceId },
        { key: 'ownerId', value: user.id },
      ])
    }
    // Kept outside IndexedDB on purpose: it is the witness that survives losing the database.
    const record = (n: number) => writeDeviceRecord({ deviceId: deviceId!, ownerId: user.id, unsent: n, at: new Date().toISOString() })
    record(stored.unsent)
    const lastSyncAt = stored.lastSyncAt
    if (mine !== epoch) return void firstPages?.stop() // stopped (logout) while we were reading
    recordUnsent = record
    const engine = new SyncEngine({
      db,
      deviceId,
      transport,
      firstPages,
      onProgress: (r) => (progress.value = r),
      onBulkPull: (active) => (bulkPull.value = active),
    })
    scheduler = new SyncScheduler({
      run: () => engine.syncOnce(),
      onStatus: (s) => {
        status.value = s
        // navigator.onLine says only that there is a link, not that the server answers (a
        // stairwell's weak signal, a browser that keeps saying online): a pass that could not
        // reach the server means offline for the user until one gets through or the link returns.
        if (s.lastFailure === 'network') online.value = false
        else if (s.phase === 'idle' && s.lastFailure === null && s.lastSyncAt) online.value = true
        if (s.phase === 'syncing') return
        progress.value = null
        bulkPull.value = false // a pass that ended before its pull (a failure) must not hold the queries
      },
      events: {
        addEventListener: window.addEventListener.bind(window),
        removeEventListener: window.removeEventListener.bind(window),
        document,
      },
    })
    scheduler.start(lastSyncAt)
  }

  function stop(): void {
    epoch++
    // Pages asked for at the login and not taken yet: no more of them, whoever logs in next.
    early?.stop()
    early = undefined
    bulkPull.value = false
    scheduler?.stop()
    scheduler = null
    starting = null
    recordUnsent = null
  }

  /** A save happened: sync shortly, batching a burst of saves into one push. */
  function saved(): void {
    scheduler?.saved()
  }

  async function syncNow(): Promise<void> {
    await scheduler?.runNow()
  }

  /** After logging in again following an expired session. */
  function resume(): void {
    if (!scheduler) void start()
    else scheduler.request(0)
  }

  async function discard(seq: number): Promise<void> {
    await discardRejected(db, seq)
    saved()
  }

  async function resend(seq: number, data?: Record<string, unknown>): Promise<void> {
    await resendRejected(db, seq, data)
    saved()
  }

  async function dismissCell(gridId: string): Promise<void> {
    await dismissCellLeft(db, gridId)
  }

  /** Removes a refused photo from the changes that show it, so they can be sent without it. */
  async function dropPhoto(sha256: string): Promise<void> {
    await dropPhotoFromOutbox(db, sha256)
    saved()
  }

  return { dbLost, online, status, progress, bulkPull, outbox, unsent, rejected, attention, cellsLeft, dismissCell, photoProblems, needsAttention, dropPhoto, firstSyncDone, start, stop, saved, syncNow, resume, discard, resend }
})

/** One queued change, live: undefined while reading, null once it is gone (sent or discarded). */
export function useQueuedChange(seq: Ref<number | null>) {
  return useLiveQuery(async () => (seq.value === null ? null : ((await db.outbox.get(seq.value)) ?? null)), undefined as OutboxRow | null | undefined, seq)
}
