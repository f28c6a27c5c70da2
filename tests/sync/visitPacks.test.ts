import 'fake-indexeddb/auto' // before Dexie loads: it binds IndexedDB at import time
import { afterEach, describe, expect, it } from 'vitest'
import { type Local, ZoufangDb } from '../../src/app/db/database'
import { deleteRecords, getRecord, putRecord, putRecords } from '../../src/app/db/records'
import { addVisit, allVisits, countVisits, deleteVisits, findVisit, keepVisits, putVisits, visitsOfHousehold } from '../../src/app/db/visits'
import { generateCommunity } from '../../src/demo/generate'
import { uuidv7 } from '../../src/domain'
import { householdOf, makeVisit } from '../support/fixtures'

// Visits live packed, one row per household (db/visits.ts). What a reader sees must be exactly
// what one row per visit gave: every visit once, the latest copy of each, nothing of another
// household's.

const community = generateCommunity({ households: 40 })
const worker = community.users.find((u) => u.username === 'grid01')!
const dbs: ZoufangDb[] = []
afterEach(() => {
  for (const db of dbs.splice(0)) db.close()
})
function device() {
  const db = new ZoufangDb(`packs-${uuidv7()}`)
  dbs.push(db)
  return db
}
const h0 = householdOf(community, 'grid01', 0)
const h1 = householdOf(community, 'grid01', 1)
const visit = (h = h0, overrides: Partial<Local<'visit'>> = {}): Local<'visit'> => ({ ...makeVisit(community, h, worker.id), ...overrides })
const ids = (vs: Array<{ id: string }>) => vs.map((v) => v.id).sort()

describe('visits packed per household', () => {
  it('written in any order, each lands once in its own household, the later copy of an id winning', async () => {
    const db = device()
    const [a, b, c] = [visit(h0), visit(h1), visit(h0)]
    await putVisits(db, [a, b])
    await putVisits(db, [c, { ...a, notes: '第二次拉取的副本', _v: 9 }])
    expect(await db.visitPacks.count()).toBe(2)
    expect(ids(await visitsOfHousehold(db, h0.id))).toEqual(ids([a, c]))
    expect(ids(await visitsOfHousehold(db, h1.id))).toEqual([b.id])
    expect(await findVisit(db, a.id)).toMatchObject({ notes: '第二次拉取的副本', _v: 9 })
    expect(await findVisit(db, a.id, h0.id)).toMatchObject({ _v: 9 })
    // Asked in the wrong household it is not there; unknown ids are undefined, never a throw.
    expect(await findVisit(db, a.id, h1.id)).toBeUndefined()
    expect(await findVisit(db, uuidv7())).toBeUndefined()
    expect(await countVisits(db)).toBe(3)
    // The same id twice in one write: the later copy, once.
    const d = visit(h1)
    await putVisits(db, [{ ...d, notes: '旧' }, { ...d, notes: '新' }])
    expect((await visitsOfHousehold(db, h1.id)).filter((v) => v.id === d.id)).toEqual([{ ...d, notes: '新' }])
  })

  it('a visit made on the phone is added once: the same id again is refused and nothing changes', async () => {
    const db = device()
    const a = visit()
    await addVisit(db, a)
    await expect(addVisit(db, { ...a, notes: '重复保存' })).rejects.toThrow(/already on this device/)
    expect(await allVisits(db)).toEqual([a])
  })

  it('removing visits rewrites only their packs and drops a pack left empty', async () => {
    const db = device()
    const [a, b, c] = [visit(h0), visit(h0), visit(h1)]
    await putVisits(db, [a, b, c])
    await deleteVisits(db, [a.id, c.id])
    expect(ids(await allVisits(db))).toEqual([b.id])
    expect(await db.visitPacks.get(h1.id)).toBeUndefined()
    expect(await keepVisits(db, () => true)).toBe(0)
    expect(await keepVisits(db, () => false)).toBe(1)
    expect(await db.visitPacks.count()).toBe(0)
  })

  it('the generic record access treats visits like any other record', async () => {
    const db = device()
    const a = visit(h0)
    await putRecord(db, 'visit', a)
    await putRecords(db, 'household', [{ ...h0, _v: 1 }])
    expect(await getRecord(db, 'visit', a.id)).toEqual(a)
    expect(await getRecord(db, 'visit', a.id, h0.id)).toEqual(a)
    expect(await getRecord(db, 'household', h0.id)).toMatchObject({ id: h0.id, _v: 1 })
    const b = visit(h0)
    await putRecord(db, 'visit', b)
    // Deleting with the household given reads its pack only; without, it finds the visit anyway.
    await deleteRecords(db, 'visit', [a.id], h0.id)
    expect(ids(await allVisits(db))).toEqual([b.id])
    await deleteRecords(db, 'visit', [b.id])
    expect(await db.visitPacks.count()).toBe(0)
    await deleteRecords(db, 'household', [h0.id])
    expect(await db.households.count()).toBe(0)
  })
})
