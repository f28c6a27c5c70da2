import type { CellLeft, Change, Entity, Household, PullResponse, Tag, VisitRule } from '../../domain'
import { DEFAULT_SETTINGS, ENTITIES, intervalDays, Settings, SETTINGS_ID } from '../../domain'
import { AppError } from '../http'
import { readCounter } from '../store/counters'
import type { Store } from '../store/open'
import { cellsLeftBy } from '../store/gridAssignments'
import { changedSince, getRecord } from '../store/records'
import type { SessionUser } from './auth'
import { isCommunityWide, visibleTags } from './scope'

// Cursor: "1.<scopeEpoch>.<version>". The version is the server's change sequence. The epoch
// changes when the user's grid assignment does: records entering the scope may carry versions
// older than the cursor, so the device must start over (keeping its outbox).
const CURSOR_FORMAT = '1'

export function makeCursor(epoch: number, version: number): string {
  return `${CURSOR_FORMAT}.${epoch}.${version}`
}

function readCursor(cursor: string): { epoch: number; version: number } {
  const [format, epoch, version] = cursor.split('.')
  const e = Number(epoch)
  const v = Number(version)
  if (format !== CURSOR_FORMAT || !Number.isSafeInteger(e) || !Number.isSafeInteger(v) || v < 0)
    throw new AppError('CURSOR_INVALID', 400, '同步位置无法识别，请重新同步')
  return { epoch: e, version: v }
}

export async function pull(store: Store, user: SessionUser, cursor: string | undefined, limit: number): Promise<PullResponse> {
  const from = cursor === undefined ? { epoch: user.scopeEpoch, version: 0 } : readCursor(cursor)
  // One read transaction: a consistent snapshot across tables, so no change committed between two
  // table reads can end up behind the cursor we hand out. (On PostgreSQL: REPEATABLE READ.)
  return store.transaction().execute(async (trx) => {
    const head = await readCounter(trx, 'version')
    const horizon = await readCounter(trx, 'tombstone_horizon')
    // A cursor from another scope, from before the tombstone horizon, or from a server whose
    // database was replaced (ahead of head) cannot be continued safely.
    if (from.epoch !== user.scopeEpoch || (from.version > 0 && from.version < horizon) || from.version > head)
      return { reset: true as const }

    const scope = isCommunityWide(user) ? null : user.gridIds
    const rows: Array<{ entity: Entity; id: string; version: number; deleted: number; data: string }> = []
    for (const entity of ENTITIES) {
      for (const r of await changedSince(trx, entity, from.version, scope, limit + 1)) rows.push({ entity, ...r })
    }
    rows.sort((a, b) => a.version - b.version)
    const page = rows.slice(0, limit)
    const rules = user.sensitiveTags ? [] : await visitRules(trx)
    const hasMore = rows.length > limit
    const last = page[page.length - 1]
    const nextVersion = hasMore && last ? last.version : Math.max(head, from.version)
    const changes: Change[] = page.map((r) => ({
      entity: r.entity,
      id: r.id,
      version: r.version,
      deleted: r.deleted === 1,
      data: r.deleted === 1 ? null : redact(user, r.entity, JSON.parse(r.data) as Record<string, unknown>, rules),
    }))
    const answer = { changes, cursor: makeCursor(user.scopeEpoch, nextVersion), hasMore }
    // A device starts from no cursor when it is new or starting over, and a worker's device
    // starts over when their cells change: then it learns which cells went, and to whom.
    if (cursor !== undefined || scope === null) return answer
    return { ...answer, cellsLeft: await cellsLeft(trx, user.id) }
  })
}

async function cellsLeft(trx: Parameters<typeof cellsLeftBy>[0], userId: string): Promise<CellLeft[]> {
  return (await cellsLeftBy(trx, userId)).map((r) => ({
    gridId: r.gridId,
    gridName: r.gridData ? String((JSON.parse(r.gridData) as { name?: unknown }).name ?? '') : '',
    at: new Date(r.at).toISOString(),
    toName: r.holderName,
  }))
}

async function visitRules(trx: Parameters<typeof getRecord>[0]): Promise<VisitRule[]> {
  const row = await getRecord(trx, 'settings', SETTINGS_ID)
  const parsed = row && !row.deleted ? Settings.safeParse(row.data) : null
  return parsed?.success ? parsed.data.visitRules : DEFAULT_SETTINGS.visitRules
}

/** What a user may not see is removed before a record leaves the server. A household whose
 *  政法 tags are removed keeps the visit interval they call for (`hiddenInterval`): the worker
 *  must still come as often, and their list must agree with the office's figures. */
function redact(user: SessionUser, entity: Entity, data: Record<string, unknown>, rules: readonly VisitRule[]): Record<string, unknown> {
  if ((entity !== 'household' && entity !== 'resident') || !Array.isArray(data.tags)) return data
  const tags = data.tags as Tag[]
  const shown = visibleTags(user, tags)
  if (entity === 'household' && shown.length < tags.length)
    return { ...data, tags: shown, hiddenInterval: intervalDays({ tags, attention: data.attention as Household['attention'] }, rules) }
  return { ...data, tags: shown }
}
