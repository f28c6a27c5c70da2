import { ConflictItem, type ConflictListQuery, ConflictListResponse, MyConflictsResponse, type SettleConflictRequest } from '../../domain/schemas/conflicts'
import { type ClientOptions, getJson } from './http'

// HTTP for household fields two people changed at once: the office's list and settling (online
// only, nothing queued: settling is the office's decision, made where it can be checked at once),
// and a user's own values that did not stand, which a worker's phone keeps for offline reading.

export function conflictsQueryString(q: Partial<ConflictListQuery>): string {
  const p = new URLSearchParams()
  if (q.state) p.set('state', q.state)
  if (q.limit !== undefined) p.set('limit', String(q.limit))
  if (q.offset !== undefined) p.set('offset', String(q.offset))
  return p.toString()
}

export const fetchConflicts = (opts: ClientOptions, q: Partial<ConflictListQuery> = {}) => getJson(opts, `/api/conflicts?${conflictsQueryString(q)}`, ConflictListResponse)

export const settleConflict = (opts: ClientOptions, id: number, body: SettleConflictRequest) =>
  getJson(opts, `/api/conflicts/${encodeURIComponent(String(id))}/settle`, ConflictItem, { method: 'POST', json: body })

export const fetchMyConflicts = async (opts: ClientOptions) => (await getJson(opts, '/api/conflicts/mine', MyConflictsResponse)).notices
