import type { Entity, EntityRecord, HouseholdPatch, ResidentPatch } from '../../domain'
import { householdHeadName } from '../../domain/householdMembers'
import { uuidv7 } from '../../domain/ids'
import type { AnyOutboxRow, Local, OutboxRow, RowEntity, ZoufangDb } from '../db/database'
import { TABLE_OF } from '../db/database'
import { deleteRecords, getRecord, householdOf, putRecord, recordTables } from '../db/records'
import { addResident, residentsOfHousehold } from '../db/residents'
import { addVisit } from '../db/visits'
import { SUBJECT_TABLES, subjectOf } from './subject'
import { LocalError } from '../i18n/localError'

// The only way a change enters the device: the record and its outbox row are written in one
// Dexie transaction, so neither exists without the other, whatever happens next.

/** The tables a queued change is written with, plus those its name is read from. */
/** The tables a change queued here touches (its record, the outbox, and those that name it): a
 *  caller that wraps a queued change in a transaction of its own must open it on these. */
export function outboxScope(db: ZoufangDb, ...tables: string[]) {
  return [...new Set([...tables, 'outbox', ...SUBJECT_TABLES])].map((t) => db.table(t))
}

/** A row built for any entity and op: its data was parsed by the mutation schema of its kind (by
 *  the store that queued it), which is what makes it that kind's OutboxRow. */
const queued = (row: AnyOutboxRow): OutboxRow => row as OutboxRow

/** Gives the row the name of its record as the device knows it now (see OutboxRow.label). */
async function name(db: ZoufangDb, row: OutboxRow, householdId?: string): Promise<void> {
  // A resident's patch does not say their household: given, only its pack is read.
  const { label } = await subjectOf(db, row.entity, row.entityId, householdId ? { householdId, ...row.data } : row.data)
  if (label) row.label = label
}

/** A resident added, moved out or dead: the household's head name in lists follows at once, and
 *  someone new is found by their name (the server writes both again, with pinyin, where it
 *  stores the change; its copy replaces this one at the next pull). Runs inside the change's
 *  transaction: SUBJECT_TABLES include households and residents. */
async function followHousehold(db: ZoufangDb, householdId: string, added?: string): Promise<void> {
  const h = await db.households.get(householdId)
  if (!h) return
  const headName = householdHeadName(await residentsOfHousehold(db, householdId))
  const searchKey = added && !h.searchKey.split(' ').includes(added) ? `${h.searchKey} ${added}`.trim().slice(0, 2000) : h.searchKey
  if (headName !== h.headName || searchKey !== h.searchKey) await db.households.put({ ...h, headName, searchKey })
}

/** Saves a new record made on the device (a visit) and queues its create. `sent`: what the
 *  create sends, when its mutation's shape is not the record's (a new template is sent without
 *  the version the server gives it). */
export async function createLocal<E extends Entity>(db: ZoufangDb, entity: E, record: EntityRecord<E>, now = new Date(), sent?: Record<string, unknown>): Promise<OutboxRow> {
  const row = queued({
    mutationId: uuidv7(now.getTime()),
    entity,
    entityId: record.id,
    op: 'create',
    data: sent ?? (record as Record<string, unknown>),
    at: now.toISOString(),
    state: 'pending',
    attempts: 0,
  })
  await db.transaction('rw', outboxScope(db, TABLE_OF[entity]), async () => {
    if (entity === 'visit') await addVisit(db, record as Local<'visit'>)
    else if (entity === 'resident') await addResident(db, record as Local<'resident'>)
    else await db.tableOf(entity as RowEntity).add(record as Local<RowEntity>)
    if (entity === 'resident') {
      const r = record as EntityRecord<'resident'>
      await followHousehold(db, r.householdId, r.name)
    }
    await name(db, row)
    row.seq = await db.outbox.add(row)
  })
  return row
}

type Patchable = 'household' | 'resident' | 'settings' | 'checklistTemplate' | 'resource' | 'matter' | 'meeting' | 'notice'

/** Changes some fields of a record the device holds and queues the patch, based on the version
 *  the device has (the server detects fields someone else changed since). */
export function patchLocal(db: ZoufangDb, entity: Exclude<Patchable, 'resident'>, id: string, patch: Record<string, unknown>, now = new Date()): Promise<OutboxRow> {
  return patchRecordLocal(db, entity, id, patch, now)
}

/** `householdId`: a packed record's household (a resident's), so that only its pack is read. */
async function patchRecordLocal(db: ZoufangDb, entity: Patchable, id: string, patch: Record<string, unknown>, now: Date, householdId?: string): Promise<OutboxRow> {
  let row: OutboxRow | undefined
  await db.transaction('rw', outboxScope(db, TABLE_OF[entity]), async () => {
    // Not in that household's pack: a pull may have just moved them to another (every pack is read).
    const current = (await getRecord(db, entity, id, householdId)) ?? (householdId === undefined ? undefined : await getRecord(db, entity, id))
    if (!current) throw new LocalError('recordMissing', { entity, id })
    await putRecord(db, entity, { ...current, ...patch })
    const home = householdOf(current)
    if (entity === 'resident' && home) await followHousehold(db, home)
    const base = current._v
    const next = queued({
      mutationId: uuidv7(now.getTime()),
      entity,
      entityId: id,
      op: 'patch',
      ...(typeof base === 'number' ? { baseVersion: base } : {}),
      data: patch,
      at: now.toISOString(),
      state: 'pending',
      attempts: 0,
    })
    await name(db, next, home)
    next.seq = await db.outbox.add(next)
    row = next
  })
  return row!
}

export function patchHouseholdLocal(db: ZoufangDb, id: string, patch: HouseholdPatch, now = new Date()): Promise<OutboxRow> {
  return patchLocal(db, 'household', id, patch, now)
}

export function patchResidentLocal(db: ZoufangDb, resident: Pick<EntityRecord<'resident'>, 'id' | 'householdId'>, patch: ResidentPatch, now = new Date()): Promise<OutboxRow> {
  return patchRecordLocal(db, 'resident', resident.id, patch, now, resident.householdId)
}

/** Queues a transition and shows it at once: the record takes `changes` on the device and, for a
 *  record with a history (a case, a matter), its step appears in it — under the step's own id,
 *  the one the server gives it. The server's answer is final: a refusal comes back with its
 *  reason, and its copies replace these at the next pull (a project's completion also meets its
 *  needs there). */
export async function transitionRecordLocal<E extends 'case' | 'need' | 'project' | 'serviceRecord' | 'matter'>(
  db: ZoufangDb,
  entity: E,
  id: string,
  changes: Partial<EntityRecord<E>>,
  data: Record<string, unknown>,
  now = new Date(),
  step?: { entity: 'caseStep' | 'matterStep'; record: EntityRecord<'caseStep'> | EntityRecord<'matterStep'> },
): Promise<OutboxRow> {
  let row: OutboxRow | undefined
  const table = db.tableOf(entity)
  await db.transaction('rw', outboxScope(db, TABLE_OF[entity], ...(step ? [TABLE_OF[step.entity]] : [])), async () => {
    const current = await table.get(id)
    if (!current) throw new LocalError('recordMissing', { entity, id })
    await table.put({ ...current, ...changes })
    if (step) await db.table(TABLE_OF[step.entity]).put(step.record)
    const next = queued({ mutationId: uuidv7(now.getTime()), entity, entityId: id, op: 'transition', data, at: now.toISOString(), state: 'pending', attempts: 0 })
    await name(db, next)
    next.seq = await db.outbox.add(next)
    row = next
  })
  return row!
}

/** A case's transition (受理, 分派 …) with its step. */
export function transitionLocal(db: ZoufangDb, caseId: string, step: EntityRecord<'caseStep'>, caseChanges: Partial<EntityRecord<'case'>>, data: Record<string, unknown>, now = new Date()): Promise<OutboxRow> {
  return transitionRecordLocal(db, 'case', caseId, caseChanges, data, now, { entity: 'caseStep', record: step })
}

/** A matter's move (议题: 议, 决, 筹 … or 分摊) with its step. */
export function transitionMatterLocal(db: ZoufangDb, matterId: string, step: EntityRecord<'matterStep'>, changes: Partial<EntityRecord<'matter'>>, data: Record<string, unknown>, now = new Date()): Promise<OutboxRow> {
  return transitionRecordLocal(db, 'matter', matterId, changes, data, now, { entity: 'matterStep', record: step })
}

/** The user gave up a refused change on purpose. A create that never reached the server is
 *  removed from the device; an edit is rolled back by fetching the server's copy again. */
export async function discardRejected(db: ZoufangDb, seq: number): Promise<void> {
  await db.transaction('rw', [db.outbox, db.meta, ...recordTables(db)], async () => {
    const row = await db.outbox.get(seq)
    if (!row || row.state !== 'rejected') return
    await db.outbox.delete(seq)
    if (row.op === 'create') {
      // Later changes to a record that will never exist cannot succeed either.
      const later = await db.outbox.where('entityId').equals(row.entityId).primaryKeys()
      await db.outbox.bulkDelete(later)
      await deleteRecords(db, row.entity, [row.entityId], householdOf(row.data))
    } else {
      await db.meta.put({ key: 'fullPullNeeded', value: true })
    }
  })
}

/** A fixed record goes back to the queue with the user's corrected data, same mutation id. */
export async function resendRejected(db: ZoufangDb, seq: number, data?: Record<string, unknown>): Promise<void> {
  await db.transaction('rw', [db.outbox, ...recordTables(db)], async () => {
    const row = await db.outbox.get(seq)
    if (!row || row.state !== 'rejected') return
    const next = queued({ ...row, state: 'pending', attempts: 0, data: data ?? row.data })
    delete next.error
    await db.outbox.put(next)
    if (data && row.op === 'create') {
      // A visit moved to another household by the fix leaves the pack of the one it was in.
      if (row.entity === 'visit' && householdOf(row.data) !== data.householdId) await deleteRecords(db, 'visit', [row.entityId], householdOf(row.data))
      await putRecord(db, row.entity, data)
    }
  })
}

/** The user gives up a photo the server refused: queued changes stop showing it (and so stop
 *  waiting for it), the record on the device too, and the photo leaves the device. */
export async function dropPhotoFromOutbox(db: ZoufangDb, sha256: string): Promise<void> {
  await db.transaction('rw', [db.outbox, db.photos, ...recordTables(db)], async () => {
    for (const row of await db.outbox.toArray()) {
      const ids: string[] = 'photoIds' in row.data && row.data.photoIds ? row.data.photoIds : []
      if (!ids.includes(sha256)) continue
      const data = { ...row.data, photoIds: ids.filter((x) => x !== sha256) }
      await db.outbox.update(row.seq!, { data })
      if (row.op === 'create') {
        const rec = await getRecord(db, row.entity, row.entityId, householdOf(row.data))
        if (Array.isArray(rec?.photoIds)) await putRecord(db, row.entity, { ...rec, photoIds: (rec.photoIds as string[]).filter((x) => x !== sha256) })
      }
    }
    await db.photos.delete(sha256)
  })
}
