import type { GridMovesResponse } from '../../domain'
import type { Store } from '../store/open'

const CHINA = 8 * 3600_000

/** Reassignments of grid cells in a period (China days, inclusive), newest first, from the audit
 *  log — the one record of who moved which cell to whom, and when. */
export async function listGridMoves(store: Store, from: string, to: string): Promise<GridMovesResponse> {
  const start = new Date(Date.parse(`${from}T00:00:00Z`) - CHINA).toISOString()
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000 - CHINA).toISOString()
  const rows = await store
    .selectFrom('audit_log')
    .leftJoin('users as by', 'by.id', 'audit_log.user_id')
    .select(['audit_log.at', 'audit_log.action', 'audit_log.subject_id', 'audit_log.details', 'by.name as by_name'])
    .where('audit_log.action', 'in', ['assign_grid', 'unassign_grid'])
    .where('audit_log.at', '>=', start)
    .where('audit_log.at', '<', end)
    .orderBy('audit_log.at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(1000)
    .execute()
  const grids = new Map((await store.selectFrom('grid_cells').select(['id', 'data']).execute()).map((g) => [g.id, (JSON.parse(g.data) as { name: string }).name]))
  const users = new Map((await store.selectFrom('users').select(['id', 'name']).execute()).map((u) => [u.id, u.name]))
  return {
    from,
    to,
    moves: rows.map((r) => {
      const workerId = String((JSON.parse(r.details) as { workerId?: string }).workerId ?? '')
      const gridId = r.subject_id ?? ''
      return {
        at: new Date(r.at).toISOString(),
        action: r.action === 'assign_grid' ? ('assign' as const) : ('unassign' as const),
        gridId,
        gridName: grids.get(gridId) ?? gridId,
        workerId,
        workerName: users.get(workerId) ?? workerId,
        byName: r.by_name ?? null,
      }
    }),
  }
}
