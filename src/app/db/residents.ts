import type { Local, ZoufangDb } from './database'
import { Packs } from './packs'

// Residents are kept packed per household (db/packs.ts says why): everything that reads or
// writes residents goes through this module. Unlike a visit, a resident may change household
// (the register re-imported with them in another flat): a put takes them out of the old pack.

type Resident = Local<'resident'>

const packs = new Packs<'residents', Resident>('residentPacks', 'residents')

/** Every resident on the device (no order). */
export const allResidents = (db: ZoufangDb): Promise<Resident[]> => packs.all(db)

/** Calls `fn` for every resident on the device, reading one pack at a time. */
export const eachResident = (db: ZoufangDb, fn: (r: Resident) => void): Promise<void> => packs.each(db, fn)

/** One household's residents (no order). */
export const residentsOfHousehold = (db: ZoufangDb, householdId: string): Promise<Resident[]> => packs.ofHousehold(db, householdId)

/** One resident by id. Give their household when known: without it every pack is read. */
export const findResident = (db: ZoufangDb, id: string, householdId?: string): Promise<Resident | undefined> => packs.find(db, id, householdId)

export const countResidents = (db: ZoufangDb): Promise<number> => packs.count(db)

/** Writes residents (new, or replacing the device's copy of the same id) into their household's
 *  pack, taking anyone who changed household out of the old one. `fresh`: none of them can be in
 *  another household's pack (a first sync's snapshot sends each resident once): not looked for. */
export const putResidents = (db: ZoufangDb, residents: readonly Resident[], opts: { fresh?: boolean } = {}): Promise<void> => packs.put(db, residents, { moves: !opts.fresh })

/** Saves a resident added on this device; refuses an id already in the household's pack. */
export const addResident = (db: ZoufangDb, resident: Resident): Promise<void> => packs.add(db, resident)

/** Removes residents by id (a start over, a record gone from the server): it reads every pack. */
export const deleteResidents = (db: ZoufangDb, ids: Iterable<string>): Promise<void> => packs.remove(db, ids)

/** Removes residents of one household by id. */
export const deleteHouseholdResidents = (db: ZoufangDb, householdId: string, ids: Iterable<string>): Promise<void> => packs.removeFrom(db, householdId, ids)

/** Keeps the residents `keep` says yes to and removes the others. Returns how many it removed. */
export const keepResidents = (db: ZoufangDb, keep: (r: Resident) => boolean): Promise<number> => packs.keep(db, keep)
