import type { GridMovesResponse } from '../../domain'
import { auditOfActions } from '../store/auditLog'
import type { Store } from '../store/open'
import { gridCellNames } from '../store/register'
import { allUsers } from '../store/users'

const CHINA = 8 * 3600_000

/** Reassignments of grid cells in a period (China days, inclusive), newest first, from the audit
 *  log — the one record of who moved which cell to whom, and when. */
export async function listGridMoves(store: Store, from: string, to: string): Promise<GridMovesResponse> {
  const start = new Date(Date.parse(`${from}T00:00:00Z`) - CHINA).toISOString()
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000 - CHINA).toISOString()
  const rows = await auditOfActions(store, ['assign_grid', 'unassign_grid'], start, end, 1000)
  const grids = await gridCellNames(store)
  const users = new Map((await allUsers(store)).map((u) => [u.id, u.name]))
  return {
    from,
    to,
    moves: rows.map((r) => {
      const workerId = String((JSON.parse(r.details) as { workerId?: string }).workerId ?? '')
      const gridId = r.subjectId ?? ''
      return {
        at: new Date(r.at).toISOString(),
        action: r.action === 'assign_grid' ? ('assign' as const) : ('unassign' as const),
        gridId,
        gridName: grids.get(gridId) ?? gridId,
        workerId,
        workerName: users.get(workerId) ?? workerId,
        byName: r.byName,
      }
    }),
  }
}
