import type { ConflictListQuery, SettleConflictRequest } from '../../domain/schemas/conflicts'
import { checkMyConflictsResponse } from './answerChecks'
import { type ClientOptions, getCheckedJson, getJson } from './client'

// HTTP for household fields two people changed at once: the office's list and settling (online
// only, nothing queued: settling is the office's decision, made where it can be checked at once),
// and a user's own values that did not stand, which a worker's phone keeps for offline reading.
// The home page holds the conflicts store and asks for a user's own notices after each sync:
// those are checked by hand (answerChecks.ts), and the office's schemas (and zod) load with the
// first office answer to check, not with the home page.
const schemas = () => import('../../domain/schemas/conflicts')

export function conflictsQueryString(q: Partial<ConflictListQuery>): string {
  const p = new URLSearchParams()
  if (q.state) p.set('state', q.state)
  if (q.limit !== undefined) p.set('limit', String(q.limit))
  if (q.offset !== undefined) p.set('offset', String(q.offset))
  return p.toString()
}

export const fetchConflicts = async (opts: ClientOptions, q: Partial<ConflictListQuery> = {}) =>
  getJson(opts, `/api/conflicts?${conflictsQueryString(q)}`, (await schemas()).ConflictListResponse)

export const settleConflict = async (opts: ClientOptions, id: number, body: SettleConflictRequest) =>
  getJson(opts, `/api/conflicts/${encodeURIComponent(String(id))}/settle`, (await schemas()).ConflictItem, { method: 'POST', json: body })

export const fetchMyConflicts = async (opts: ClientOptions) => (await getCheckedJson(opts, '/api/conflicts/mine', checkMyConflictsResponse)).notices
