import { COMPLETES } from '../../domain/householdState'
import type { ZoufangDb } from '../db/database'
import { getMeta, setMeta } from '../db/database'
import { eachVisit, keepVisits } from '../db/visits'

// An office device holds only the visits of the last Settings.officeVisitDays (the server sends no
// older ones, but for each household's latest that reached somebody, which its due date needs).
// As days pass, visits it was sent leave that window: they are dropped here, once a day, so the
// device keeps what the office reads and not the whole history. The household page fetches the
// older ones when online (stores/householdHistory.ts).

const VISITS_FROM = 'visitsFrom'
const PRUNED_ON = 'visitsPrunedOn'

/** The start of the window the server last stated; undefined on a worker's device (all visits). */
export const visitWindowStart = (db: ZoufangDb) => getMeta<string>(db, VISITS_FROM)

/** Keeps the server's word on the window (a pull page's visitsFrom) with the page it came with. */
export async function noteVisitWindow(db: ZoufangDb, visitsFrom: string | undefined): Promise<void> {
  if (visitsFrom === undefined) await db.meta.delete(VISITS_FROM)
  else await setMeta(db, VISITS_FROM, visitsFrom)
}

/** A pull from the start just brought exactly the window: nothing to drop until tomorrow. */
export async function windowFresh(db: ZoufangDb, today: string): Promise<void> {
  if ((await visitWindowStart(db)) !== undefined) await setMeta(db, PRUNED_ON, today)
}

/** Drops the visits older than the window, once a day. Kept: each household's latest visit that
 *  reached somebody, and any visit with a change not yet sent or a server copy parked behind one. */
export async function pruneVisits(db: ZoufangDb, today: string): Promise<number> {
  const from = await visitWindowStart(db)
  if (from === undefined || (await getMeta<string>(db, PRUNED_ON)) === today) return 0
  return db.transaction('rw', [db.visitPacks, db.outbox, db.parked, db.meta], async () => {
    const latest = new Map<string, { id: string; at: string }>()
    const old: string[] = []
    await eachVisit(db, (v) => {
      if (v.startedAt < from) old.push(v.id)
      const l = latest.get(v.householdId)
      if (COMPLETES[v.outcome] && (!l || v.startedAt > l.at)) latest.set(v.householdId, { id: v.id, at: v.startedAt })
    })
    const keep = new Set([...latest.values()].map((l) => l.id))
    for (const id of (await db.outbox.orderBy('entityId').uniqueKeys()) as string[]) keep.add(id)
    for (const p of await db.parked.toArray()) keep.add(p.id)
    const drop = new Set(old.filter((id) => !keep.has(id)))
    const removed = drop.size ? await keepVisits(db, (v) => !drop.has(v.id)) : 0
    await setMeta(db, PRUNED_ON, today)
    return removed
  })
}
