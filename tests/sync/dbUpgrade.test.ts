import 'fake-indexeddb/auto' // before Dexie loads: it binds IndexedDB at import time
import Dexie from 'dexie'
import { describe, expect, it } from 'vitest'
import { ZoufangDb } from '../../src/app/db/database'
import { allResidents, residentsOfHousehold } from '../../src/app/db/residents'
import { allVisits } from '../../src/app/db/visits'
import { uuidv7 } from '../../src/domain'

// An app update that changes the local database schema must migrate the phone's data in place:
// every queued change and every record survive.

/** The database exactly as the first released version (schema v1) created it. */
function releasedV1(name: string) {
  const db = new Dexie(name)
  db.version(1).stores({
    gridCells: 'id',
    buildings: 'id',
    households: 'id',
    residents: 'id, householdId',
    checklistTemplates: 'id',
    visits: 'id, householdId',
    outbox: '++seq, entityId',
    parked: 'key',
    meta: 'key',
  })
  return db
}

describe('local schema upgrade', () => {
  it('opening v1 data with the current app keeps the outbox, its order, and the records', async () => {
    const name = `upgrade-${uuidv7()}`
    const old = releasedV1(name)
    const rows = Array.from({ length: 5 }, (_, i) => ({
      mutationId: uuidv7(),
      entity: 'visit',
      entityId: uuidv7(),
      op: 'create',
      data: { notes: `离线走访 ${i}` },
      at: new Date().toISOString(),
      state: i === 2 ? 'rejected' : 'pending',
      attempts: i,
      ...(i === 2 ? { error: { code: 'OUT_OF_SCOPE', message: '这户不在你负责的网格里' } } : {}),
    }))
    await old.table('outbox').bulkAdd(rows)
    await old.table('households').put({ id: 'h1', address: '幸福里小区1号楼1单元101室', _v: 7 })
    // Visits were rows of their own until version 3 packed them per household.
    const visits = [
      { id: 'v1', householdId: 'h1', startedAt: '2026-11-01T08:00:00.000Z', _v: 3 },
      { id: 'v2', householdId: 'h2', startedAt: '2026-11-02T08:00:00.000Z', _v: 4 },
      { id: 'v3', householdId: 'h1', startedAt: '2026-11-03T08:00:00.000Z' },
    ]
    await old.table('visits').bulkPut(visits)
    // Residents were rows of their own until version 9 packed them per household too.
    const residents = [
      { id: 'r1', householdId: 'h1', name: '王建国', _v: 5 },
      { id: 'r2', householdId: 'h1', name: '李秀英', _v: 6 },
      { id: 'r3', householdId: 'h2', name: '张伟' },
    ]
    await old.table('residents').bulkPut(residents)
    await old.table('meta').bulkPut([{ key: 'cursor', value: '1.1.42' }, { key: 'deviceId', value: 'dev-1' }])
    old.close()

    const db = new ZoufangDb(name)
    await db.open()
    expect(db.verno).toBeGreaterThan(1)
    const outbox = await db.outbox.orderBy('seq').toArray()
    expect(outbox.map(({ seq: _s, ...r }) => r)).toEqual(rows)
    expect(outbox.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5])
    expect(await db.households.get('h1')).toMatchObject({ address: '幸福里小区1号楼1单元101室', _v: 7 })
    expect((await db.meta.get('cursor'))?.value).toBe('1.1.42')
    // Every visit is in its household's pack, unchanged; the old table is gone.
    expect(db.tables.map((t) => t.name)).not.toContain('visits')
    expect((await allVisits(db)).sort((a, b) => a.id.localeCompare(b.id))).toEqual(visits)
    expect((await db.visitPacks.get('h1'))!.visits.map((v) => v.id).sort()).toEqual(['v1', 'v3'])
    expect(await db.visitPacks.count()).toBe(2)
    expect(db.tables.map((t) => t.name)).not.toContain('residents')
    expect((await allResidents(db)).sort((a, b) => a.id.localeCompare(b.id))).toEqual(residents)
    expect((await residentsOfHousehold(db, 'h1')).map((r) => r.id).sort()).toEqual(['r1', 'r2'])
    expect(await db.residentPacks.count()).toBe(2)
    // The new tables are there and usable.
    await db.cases.put({ id: 'c1' } as never)
    expect(await db.cases.count()).toBe(1)
    db.close()
  })
})
