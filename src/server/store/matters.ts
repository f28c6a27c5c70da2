import type { Kysely, Transaction } from 'kysely'
import type { LedgerEntry, Matter, MatterStep, Meeting } from '../../domain'
import { reserveVersions } from './counters'
import { insertRecord, putRecord } from './recordWrites'
import type { Database } from './schema'

// 议题: matters, the cells they touch, their steps, meetings and ledger entries. The rules are in
// services/matters.ts, meetings.ts, ledger.ts and src/domain (matterFlow.ts, matterLedger.ts);
// this only reads and writes rows. Every write takes a new version, so devices pull it. Steps and
// ledger entries are only ever inserted.

type Db = Kysely<Database> | Transaction<Database>
type Trx = Transaction<Database>
type MatterTableName = 'matters' | 'matter_steps' | 'meetings' | 'ledger_entries'

export interface MatterRow {
  version: number
  deleted: boolean
  data: unknown
}

export async function findMatterRow(db: Db, table: MatterTableName, id: string): Promise<MatterRow | null> {
  const r = await db.selectFrom(table).select(['version', 'deleted', 'data']).where('id', '=', id).executeTakeFirst()
  return r ? { version: Number(r.version), deleted: r.deleted === 1, data: JSON.parse(r.data) as unknown } : null
}

/** A new matter and the cells it touches (fixed from now on: they decide who pulls it). */
export async function insertMatter(trx: Trx, m: Matter): Promise<number> {
  const version = await insertRecord(trx, 'matters', { id: m.id, gridId: null, householdId: null }, m, { stage: m.stage })
  await trx
    .insertInto('matter_cells')
    .values(m.gridIds.map((g) => ({ matter_id: m.id, grid_id: g })))
    .execute()
  return version
}

/** The matter as it now stands, a new version (its cells never change). */
export function updateMatter(trx: Trx, m: Matter): Promise<number> {
  return putRecord(trx, 'matters', { id: m.id, gridId: null, householdId: null }, m, { stage: m.stage })
}

export function insertMatterStep(trx: Trx, step: MatterStep): Promise<number> {
  return insertRecord(trx, 'matter_steps', { id: step.id, gridId: null, householdId: null }, step, { matter_id: step.matterId })
}

/** Writes a meeting (insert or replace) with a new version. */
export function putMeeting(trx: Trx, meeting: Meeting): Promise<number> {
  return putRecord(trx, 'meetings', { id: meeting.id, gridId: null, householdId: null }, meeting, { matter_id: meeting.matterId })
}

export async function meetingCount(db: Db, matterId: string): Promise<number> {
  const r = await db
    .selectFrom('meetings')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('matter_id', '=', matterId)
    .where('deleted', '=', 0)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

const householdOf = (e: LedgerEntry) => (e.kind === 'share' || e.kind === 'contribution' ? e.householdId : null)

/** Ledger entries, inserted only (a correction is an entry), in one block of versions. */
export async function insertLedgerEntries(trx: Trx, entries: readonly LedgerEntry[]): Promise<number> {
  if (entries.length === 0) throw new Error('no ledger entries to insert')
  const first = await reserveVersions(trx, entries.length)
  const rows = entries.map((e, i) => ({
    id: e.id,
    version: first + i,
    deleted: 0,
    grid_id: null,
    household_id: householdOf(e),
    matter_id: e.matterId,
    kind: e.kind,
    corrects_id: e.kind === 'correction' ? e.correctsId : null,
    data: JSON.stringify(e),
  }))
  for (let i = 0; i < rows.length; i += 200) await trx.insertInto('ledger_entries').values(rows.slice(i, i + 200)).execute()
  return first + entries.length - 1
}

/** Every entry of a matter's ledger, in the order recorded; `asOf`: only days up to it. */
export async function ledgerOf(db: Db, matterId: string, asOf?: string): Promise<unknown[]> {
  const rows = await db.selectFrom('ledger_entries').select('data').where('matter_id', '=', matterId).where('deleted', '=', 0).orderBy('version').execute()
  const entries = rows.map((r) => JSON.parse(r.data) as { day: string })
  return asOf === undefined ? entries : entries.filter((e) => e.day <= asOf)
}

/** The live households of these ids (those unknown or taken off the register are not there). */
export async function householdsByIds(db: Db, ids: readonly string[]): Promise<unknown[]> {
  const out: unknown[] = []
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom('households').select('data').where('id', 'in', ids.slice(i, i + 500)).where('deleted', '=', 0).execute()
    for (const r of rows) out.push(JSON.parse(r.data) as unknown)
  }
  return out
}

/** Every live row of the table, data parsed (not yet validated), in the order written: the
 *  public page reads them whole (a community has tens of matters, not thousands). */
export async function liveMatterRows(db: Db, table: MatterTableName): Promise<unknown[]> {
  const rows = await db.selectFrom(table).select('data').where('deleted', '=', 0).orderBy('version').execute()
  return rows.map((r) => JSON.parse(r.data) as unknown)
}
