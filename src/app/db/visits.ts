import Dexie from 'dexie'
import type { Local, VisitPack, ZoufangDb } from './database'

// Visits are kept packed: one row per household holding all of that household's visits
// (`visitPacks`), not one row per visit. IndexedDB's cost is per row, not per byte: a worker's
// first sync writes ~2,800 visits of ~270 households, and in Chromium putting them as packs takes
// a sixth of the time of putting them one by one (bench/firstSync.ts measures both). Everything
// that reads or writes visits goes through this module; a visit itself is the server's shape
// (plus `_v`), exactly as before, inside its household's pack.

type Visit = Local<'visit'>

/** Every visit on the device (no order). */
export async function allVisits(db: ZoufangDb): Promise<Visit[]> {
  return (await db.visitPacks.toArray()).flatMap((p) => p.visits)
}

/** Calls `fn` for every visit on the device, reading one pack at a time. */
export async function eachVisit(db: ZoufangDb, fn: (v: Visit) => void): Promise<void> {
  await db.visitPacks.each((p) => p.visits.forEach(fn))
}

/** One household's visits (no order). */
export async function visitsOfHousehold(db: ZoufangDb, householdId: string): Promise<Visit[]> {
  return (await db.visitPacks.get(householdId))?.visits ?? []
}

/** One visit by id. Give its household when known: without it every pack is read. */
export async function findVisit(db: ZoufangDb, id: string, householdId?: string): Promise<Visit | undefined> {
  if (householdId !== undefined) return (await visitsOfHousehold(db, householdId)).find((v) => v.id === id)
  let found: Visit | undefined
  await db.visitPacks.each((p) => (found ??= p.visits.find((v) => v.id === id)))
  return found
}

export async function countVisits(db: ZoufangDb): Promise<number> {
  let n = 0
  await db.visitPacks.each((p) => (n += p.visits.length))
  return n
}

/** Writes visits (new, or replacing the device's copy of the same id), each into its household's
 *  pack. Callers wrap it in a transaction that includes visitPacks when it must be atomic with
 *  other writes (a read of each pack then its write). */
export async function putVisits(db: ZoufangDb, visits: readonly Visit[]): Promise<void> {
  if (!visits.length) return
  const byHousehold = new Map<string, Visit[]>()
  for (const v of visits) {
    const list = byHousehold.get(v.householdId)
    if (list) list.push(v)
    else byHousehold.set(v.householdId, [v])
  }
  const keys = [...byHousehold.keys()]
  const current = await db.visitPacks.bulkGet(keys)
  const packs: VisitPack[] = keys.map((householdId, i) => {
    const incoming = byHousehold.get(householdId)!
    const existing = current[i]?.visits
    if (!existing?.length) return { householdId, visits: lastOfEachId(incoming) }
    const byId = new Map(existing.map((v) => [v.id, v]))
    for (const v of incoming) byId.set(v.id, v)
    return { householdId, visits: [...byId.values()] }
  })
  await db.visitPacks.bulkPut(packs)
}

/** A page may carry the same visit twice (it never does today): the later copy wins, as it would
 *  written one by one. */
function lastOfEachId(visits: Visit[]): Visit[] {
  if (new Set(visits.map((v) => v.id)).size === visits.length) return visits
  return [...new Map(visits.map((v) => [v.id, v])).values()]
}

/** Saves a visit made on this device. Like a row's add(), it refuses an id already there, so a
 *  save repeated by accident can never queue the same visit twice. */
export async function addVisit(db: ZoufangDb, visit: Visit): Promise<void> {
  const pack = await db.visitPacks.get(visit.householdId)
  if (pack?.visits.some((v) => v.id === visit.id)) throw new Dexie.ConstraintError(`visit ${visit.id} is already on this device`)
  await db.visitPacks.put({ householdId: visit.householdId, visits: [...(pack?.visits ?? []), visit] })
}

/** Removes visits by id. Rare (a refused new visit given up, a start over): it reads every pack. */
export async function deleteVisits(db: ZoufangDb, ids: Iterable<string>): Promise<void> {
  const drop = new Set(ids)
  if (drop.size) await keepVisits(db, (v) => !drop.has(v.id))
}

/** Keeps the visits `keep` says yes to and removes the others, rewriting only the packs that
 *  change (an emptied pack is deleted). Returns how many visits it removed. */
export async function keepVisits(db: ZoufangDb, keep: (v: Visit) => boolean): Promise<number> {
  const changed: VisitPack[] = []
  const emptied: string[] = []
  let removed = 0
  await db.visitPacks.each((p) => {
    const kept = p.visits.filter(keep)
    if (kept.length === p.visits.length) return
    removed += p.visits.length - kept.length
    if (kept.length) changed.push({ householdId: p.householdId, visits: kept })
    else emptied.push(p.householdId)
  })
  if (changed.length) await db.visitPacks.bulkPut(changed)
  if (emptied.length) await db.visitPacks.bulkDelete(emptied)
  return removed
}

/** Applies a change to one visit's copy on the device, if there (a photo taken off it). */
export async function updateVisit(db: ZoufangDb, id: string, householdId: string | undefined, change: (v: Visit) => Visit): Promise<void> {
  const visit = await findVisit(db, id, householdId)
  if (visit) await putVisits(db, [change(visit)])
}
