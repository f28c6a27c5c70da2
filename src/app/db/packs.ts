import Dexie, { type Table } from 'dexie'
import { groupByHousehold } from './byHousehold'
import type { ZoufangDb } from './database'

// A household's visits and its residents are kept packed: one row per household holding all of
// that household's records of the kind, not one row per record. IndexedDB's cost is per row (a
// request, an event, an index entry), not per byte: a worker's first sync writes ~3,000 visits
// and ~700 residents of ~270 households, and in Chromium putting them as packs takes a fraction
// of the time of putting them one by one (bench/firstSync.ts). db/visits.ts and db/residents.ts
// give each kind its functions; the records inside a pack are the server's shape (plus `_v`).

/** What a packed record needs: its id and the household whose pack holds it. */
export interface Packable {
  id: string
  householdId: string
}

/** One household's records of a kind: `{ householdId, visits: [...] }`, `{ householdId, residents: [...] }`. */
export type Pack<F extends string, R> = { householdId: string } & { [K in F]: R[] }

export interface PutOptions {
  /** A record may come with another household than the pack that holds it now (a resident
   *  re-registered in another flat): it is taken out of that pack. Finding it reads every pack,
   *  so only for records not already in the pack they go to. */
  moves?: boolean
}

/** The packs of one kind of record, in their table under their field. */
export class Packs<F extends string, R extends Packable> {
  constructor(
    private readonly tableName: string,
    private readonly field: F,
  ) {}

  table(db: ZoufangDb): Table<Pack<F, R>, string> {
    return db.table(this.tableName)
  }

  private pack(householdId: string, records: R[]): Pack<F, R> {
    return { householdId, [this.field]: records } as Pack<F, R>
  }

  private of(p: Pack<F, R> | undefined): R[] {
    return p ? (p[this.field] as R[]) : []
  }

  /** Every record on the device (no order). */
  async all(db: ZoufangDb): Promise<R[]> {
    return (await this.table(db).toArray()).flatMap((p) => this.of(p))
  }

  /** Calls `fn` for every record on the device, reading one pack at a time. */
  async each(db: ZoufangDb, fn: (r: R) => void): Promise<void> {
    await this.table(db).each((p) => this.of(p).forEach(fn))
  }

  /** One household's records (no order). */
  async ofHousehold(db: ZoufangDb, householdId: string): Promise<R[]> {
    return this.of(await this.table(db).get(householdId))
  }

  /** One record by id. Give its household when known: without it every pack is read. */
  async find(db: ZoufangDb, id: string, householdId?: string): Promise<R | undefined> {
    if (householdId !== undefined) return (await this.ofHousehold(db, householdId)).find((r) => r.id === id)
    let found: R | undefined
    await this.table(db).each((p) => (found ??= this.of(p).find((r) => r.id === id)))
    return found
  }

  async count(db: ZoufangDb): Promise<number> {
    let n = 0
    await this.table(db).each((p) => (n += this.of(p).length))
    return n
  }

  /** Writes records (new, or replacing the device's copy of the same id), each into its
   *  household's pack. Callers wrap it in a transaction that includes the table when it must be
   *  atomic with other writes (a read of each pack, then its write). */
  async put(db: ZoufangDb, records: readonly R[], opts: PutOptions = {}): Promise<void> {
    if (!records.length) return
    const byHousehold = groupByHousehold(records)
    const keys = [...byHousehold.keys()]
    const current = await this.current(db, keys)
    const arrived: string[] = []
    // Where each record goes: one that moves between two households of the same put leaves the other's pack here.
    const goesTo = opts.moves ? new Map(records.map((r) => [r.id, r.householdId])) : null
    const packs = keys.map((householdId, i) => {
      const incoming = byHousehold.get(householdId)!
      const held = this.of(current[i])
      const existing = goesTo ? held.filter((r) => (goesTo.get(r.id) ?? householdId) === householdId) : held
      const byId = new Map(existing.map((r) => [r.id, r]))
      for (const r of incoming) {
        if (!byId.has(r.id)) arrived.push(r.id)
        byId.set(r.id, r)
      }
      return this.pack(householdId, existing.length ? [...byId.values()] : lastOfEachId(incoming))
    })
    // Those new to their pack may be in another: taken out of every pack (this put's own are
    // written again just after, as computed above).
    if (opts.moves && arrived.length) {
      const moved = new Set(arrived)
      await this.keep(db, (r) => !moved.has(r.id))
    }
    await this.table(db).bulkPut(packs)
  }

  /** The packs of these households, where there are any. Which exist is asked in one request
   *  (the keys in their range), and only those are read: a get per household, most of them for
   *  packs a first sync has not written yet, would cost as much as the writes. */
  private async current(db: ZoufangDb, keys: string[]): Promise<Array<Pack<F, R> | undefined>> {
    const sorted = [...keys].sort()
    const there = new Set((await this.table(db).where(':id').between(sorted[0]!, sorted[sorted.length - 1]!, true, true).primaryKeys()) as string[])
    const wanted = keys.filter((k) => there.has(k))
    const packs = new Map(wanted.length ? (await this.table(db).bulkGet(wanted)).map((p, i) => [wanted[i]!, p]) : [])
    return keys.map((k) => packs.get(k))
  }

  /** Saves a record made on this device. Like a row's add(), it refuses an id already in its
   *  pack, so a save repeated by accident can never queue the same record twice. */
  async add(db: ZoufangDb, record: R): Promise<void> {
    const existing = await this.ofHousehold(db, record.householdId)
    if (existing.some((r) => r.id === record.id)) throw new Dexie.ConstraintError(`${this.field} ${record.id} is already on this device`)
    await this.table(db).put(this.pack(record.householdId, [...existing, record]))
  }

  /** Removes records by id. Rare (a record given up, a start over): it reads every pack. */
  async remove(db: ZoufangDb, ids: Iterable<string>): Promise<void> {
    const drop = new Set(ids)
    if (drop.size) await this.keep(db, (r) => !drop.has(r.id))
  }

  /** Removes records by id from one household's pack (an emptied pack is deleted). */
  async removeFrom(db: ZoufangDb, householdId: string, ids: Iterable<string>): Promise<void> {
    const drop = new Set(ids)
    const records = await this.ofHousehold(db, householdId)
    const kept = records.filter((r) => !drop.has(r.id))
    if (kept.length === records.length) return
    if (kept.length) await this.table(db).put(this.pack(householdId, kept))
    else await this.table(db).delete(householdId)
  }

  /** Keeps the records `keep` says yes to and removes the others, rewriting only the packs that
   *  change (an emptied pack is deleted). Returns how many records it removed. */
  async keep(db: ZoufangDb, keep: (r: R) => boolean): Promise<number> {
    const changed: Pack<F, R>[] = []
    const emptied: string[] = []
    let removed = 0
    await this.table(db).each((p) => {
      const records = this.of(p)
      const kept = records.filter(keep)
      if (kept.length === records.length) return
      removed += records.length - kept.length
      if (kept.length) changed.push(this.pack(p.householdId, kept))
      else emptied.push(p.householdId)
    })
    if (changed.length) await this.table(db).bulkPut(changed)
    if (emptied.length) await this.table(db).bulkDelete(emptied)
    return removed
  }
}

/** A page may carry the same record twice (it never does today): the later copy wins, as it
 *  would written one by one. */
function lastOfEachId<R extends Packable>(records: R[]): R[] {
  if (new Set(records.map((r) => r.id)).size === records.length) return records
  return [...new Map(records.map((r) => [r.id, r])).values()]
}
