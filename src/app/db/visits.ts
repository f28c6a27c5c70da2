import type { Local, ZoufangDb } from './database'
import { Packs } from './packs'

// Visits are kept packed per household (db/packs.ts says why): everything that reads or writes
// visits goes through this module. A visit never changes household.

type Visit = Local<'visit'>

const packs = new Packs<'visits', Visit>('visitPacks', 'visits')

/** Every visit on the device (no order). */
export const allVisits = (db: ZoufangDb): Promise<Visit[]> => packs.all(db)

/** Calls `fn` for every visit on the device, reading one pack at a time. */
export const eachVisit = (db: ZoufangDb, fn: (v: Visit) => void): Promise<void> => packs.each(db, fn)

/** One household's visits (no order). */
export const visitsOfHousehold = (db: ZoufangDb, householdId: string): Promise<Visit[]> => packs.ofHousehold(db, householdId)

/** One visit by id. Give its household when known: without it every pack is read. */
export const findVisit = (db: ZoufangDb, id: string, householdId?: string): Promise<Visit | undefined> => packs.find(db, id, householdId)

export const countVisits = (db: ZoufangDb): Promise<number> => packs.count(db)

/** Writes visits (new, or replacing the device's copy of the same id), each into its household's
 *  pack. Callers wrap it in a transaction that includes visitPacks when it must be atomic with
 *  other writes (a read of each pack then its write). */
export const putVisits = (db: ZoufangDb, visits: readonly Visit[]): Promise<void> => packs.put(db, visits)

/** Saves a visit made on this device. Like a row's add(), it refuses an id already there, so a
 *  save repeated by accident can never queue the same visit twice. */
export const addVisit = (db: ZoufangDb, visit: Visit): Promise<void> => packs.add(db, visit)

/** Removes visits by id. Rare (a refused new visit given up, a start over): it reads every pack. */
export const deleteVisits = (db: ZoufangDb, ids: Iterable<string>): Promise<void> => packs.remove(db, ids)

/** Removes visits of one household by id. */
export const deleteHouseholdVisits = (db: ZoufangDb, householdId: string, ids: Iterable<string>): Promise<void> => packs.removeFrom(db, householdId, ids)

/** Keeps the visits `keep` says yes to and removes the others, rewriting only the packs that
 *  change (an emptied pack is deleted). Returns how many visits it removed. */
export const keepVisits = (db: ZoufangDb, keep: (v: Visit) => boolean): Promise<number> => packs.keep(db, keep)

/** Applies a change to one visit's copy on the device, if there (a photo taken off it). */
export async function updateVisit(db: ZoufangDb, id: string, householdId: string | undefined, change: (v: Visit) => Visit): Promise<void> {
  const visit = await findVisit(db, id, householdId)
  if (visit) await putVisits(db, [change(visit)])
}
