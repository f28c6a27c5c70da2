import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema'

// What the secretary's figures and exports (services/stats.ts, exports.ts) read besides the
// visits (visitStats.ts) and the register (register.ts): cases, teams, the workers of grid cells.

type Db = Kysely<Database> | Transaction<Database>

/** The live cases not closed of these grid cells, as stored. */
export async function openCasesOfCells(db: Db, gridIds: readonly string[]): Promise<{ gridId: string | null; data: unknown }[]> {
  if (!gridIds.length) return []
  const rows = await db.selectFrom('cases').select(['grid_id', 'data']).where('deleted', '=', 0).where('state', '!=', 'closed').where('grid_id', 'in', [...gridIds]).execute()
  return rows.map((r) => ({ gridId: r.grid_id, data: JSON.parse(r.data) as unknown }))
}

/** The live cases of these grid cells reported in [start, end), in report order, as stored. */
export async function casesReportedBetween(db: Db, gridIds: readonly string[], start: string, end: string): Promise<unknown[]> {
  if (!gridIds.length) return []
  const rows = await db
    .selectFrom('cases')
    .select('data')
    .where('deleted', '=', 0)
    .where('grid_id', 'in', [...gridIds])
    .where('reported_at', '>=', start)
    .where('reported_at', '<', end)
    .orderBy('reported_at')
    .orderBy('id')
    .execute()
  return rows.map((r) => JSON.parse(r.data) as unknown)
}

/** The workers (role worker) assigned now to one of these grid cells: one row per assignment. */
export async function workersOfCells(db: Db, gridIds: readonly string[]): Promise<{ id: string; name: string; username: string; gridId: string }[]> {
  if (!gridIds.length) return []
  const rows = await db
    .selectFrom('grid_assignments')
    .innerJoin('users', 'users.id', 'grid_assignments.user_id')
    .select(['users.id as id', 'users.name as name', 'users.username as username', 'grid_assignments.grid_id as grid_id'])
    .where('grid_assignments.unassigned_at', 'is', null)
    .where('users.role', '=', 'worker')
    .where('grid_assignments.grid_id', 'in', [...gridIds])
    .execute()
  return rows.map((r) => ({ id: r.id, name: r.name, username: r.username, gridId: r.grid_id }))
}

/** Every team, taken off ones too, as stored. */
export async function allTeamRows(db: Db): Promise<{ id: string; data: unknown }[]> {
  const rows = await db.selectFrom('teams').select(['id', 'data']).execute()
  return rows.map((r) => ({ id: r.id, data: JSON.parse(r.data) as unknown }))
}

/** The live cases in one state, as stored (the street reads the escalated ones). */
export async function casesInState(db: Db, state: string): Promise<unknown[]> {
  const rows = await db.selectFrom('cases').select('data').where('deleted', '=', 0).where('state', '=', state).orderBy('reported_at').execute()
  return rows.map((r) => JSON.parse(r.data) as unknown)
}

/** The steps of these cases, as stored, oldest first (the street reads why each was escalated). */
export async function stepsOfCases(db: Db, caseIds: readonly string[]): Promise<unknown[]> {
  if (!caseIds.length) return []
  const rows = await db.selectFrom('case_steps').select('data').where('deleted', '=', 0).where('case_id', 'in', [...caseIds]).orderBy('version').execute()
  return rows.map((r) => JSON.parse(r.data) as unknown)
}
