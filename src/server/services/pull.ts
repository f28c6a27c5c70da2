import type { CellLeft, Change, Entity, Household, PullResponse, Tag, VisitOutcome, VisitRule } from '../../domain'
import { COMPLETES, DEFAULT_SETTINGS, ENTITIES, intervalDays, PULL_PAGE_BYTES, Settings, SETTINGS_ID } from '../../domain'
import { AppError } from '../http'
import { readCounter } from '../store/counters'
import type { Store } from '../store/open'
import { cellsLeftBy } from '../store/gridAssignments'
import { changedSince, countChangedSince, getRecord, type PullScope, versionsSince } from '../store/records'
import type { SessionUser } from './auth'
import { isCommunityWide, seesCampaignDrafts, visibleTags } from './scope'

// Cursor: "1.<scopeEpoch>.<version>[.<visit days>]". The version is the server's change sequence.
// The epoch changes when the user's grid assignment does: records entering the scope may carry
// versions older than the cursor, so the device must start over (keeping its outbox). An office
// device's cursor also says how many days of visits it was sent: when the admin widens that, the
// visits it now lacks are older than its cursor too.
const CURSOR_FORMAT = '1'
const DAY_MS = 86_400_000
const COMPLETING = (Object.keys(COMPLETES) as VisitOutcome[]).filter((o) => COMPLETES[o])

export function makeCursor(epoch: number, version: number, visitDays?: number): string {
  return `${CURSOR_FORMAT}.${epoch}.${version}${visitDays === undefined ? '' : `.${visitDays}`}`
}

function readCursor(cursor: string): { epoch: number; version: number; visitDays?: number } {
  const [format, epoch, version, days, ...rest] = cursor.split('.')
  const e = Number(epoch)
  const v = Number(version)
  const d = days === undefined ? undefined : Number(days)
  if (format !== CURSOR_FORMAT || !Number.isSafeInteger(e) || !Number.isSafeInteger(v) || v < 0 || (d !== undefined && !(Number.isSafeInteger(d) && d > 0)) || rest.length > 0)
    throw new AppError('CURSOR_INVALID', 400, '同步位置无法识别，请重新同步')
  return { epoch: e, version: v, visitDays: d }
}

export interface PullOptions {
  /** Say how many records are to come from this cursor on (PullResponse.total). */
  count?: boolean
  /** PULL_PAGE_BYTES unless a test asks for less. */
  pageBytes?: number
}

export async function pull(store: Store, user: SessionUser, cursor: string | undefined, limit: number, opts: PullOptions = {}): Promise<PullResponse> {
  const from = cursor === undefined ? { epoch: user.scopeEpoch, version: 0, visitDays: undefined } : readCursor(cursor)
  // One read transaction: a consistent snapshot across tables, so no change committed between two
  // table reads can end up behind the cursor we hand out. (On PostgreSQL: REPEATABLE READ.)
  return store.transaction().execute(async (trx) => {
    const head = await readCounter(trx, 'version')
    const horizon = await readCounter(trx, 'tombstone_horizon')
    const settings = await readSettings(trx)
    const office = isCommunityWide(user)
    const visitDays = office ? settings.officeVisitDays : undefined
    // A cursor from another scope, from before the tombstone horizon, from a server whose
    // database was replaced (ahead of head), or from an office device sent fewer days of visits
    // than it is to hold now, cannot be continued safely. (A cursor with no days is a complete copy.)
    const narrower = visitDays !== undefined && from.visitDays !== undefined && from.visitDays < visitDays
    if (from.epoch !== user.scopeEpoch || (from.version > 0 && from.version < horizon) || from.version > head || narrower)
      return { reset: true as const }

    const visitsFrom = visitDays === undefined ? null : new Date(Date.now() - visitDays * DAY_MS).toISOString()
    const scope: PullScope = { gridIds: office ? null : user.gridIds, visitsFrom, completing: COMPLETING, campaignDrafts: seesCampaignDrafts(user) }
    // Where the page ends, from the versions alone (an index read); then only the records up to
    // there. Reading `limit` records of every entity and keeping `limit` of them all would read
    // and parse up to eleven times what the page holds.
    const versions = new Map<Entity, number[]>()
    for (const entity of ENTITIES) versions.set(entity, await versionsSince(trx, entity, from.version, scope, limit + 1))
    const all = [...versions.values()].flat().sort((a, b) => a - b)
    const moreByCount = all.length > limit
    const upTo = moreByCount ? all[limit - 1]! : undefined
    const rows: Array<{ entity: Entity; id: string; version: number; deleted: number; data: string }> = []
    for (const [entity, vs] of versions) {
      if (vs.length === 0 || (upTo !== undefined && vs[0]! > upTo)) continue
      for (const r of await changedSince(trx, entity, from.version, scope, limit, upTo)) rows.push({ entity, ...r })
    }
    rows.sort((a, b) => a.version - b.version)
    const page = sizedPage(rows, limit, opts.pageBytes ?? PULL_PAGE_BYTES)
    const rules = user.sensitiveTags ? [] : settings.visitRules
    const hasMore = moreByCount || rows.length > page.length
    const last = page[page.length - 1]
    const nextVersion = hasMore && last ? last.version : Math.max(head, from.version)
    const changes: Change[] = page.map((r) => ({
      entity: r.entity,
      id: r.id,
      version: r.version,
      deleted: r.deleted === 1,
      data: r.deleted === 1 ? null : redact(user, r.entity, JSON.parse(r.data) as Record<string, unknown>, rules),
    }))
    const answer: PullResponse = { changes, cursor: makeCursor(user.scopeEpoch, nextVersion, visitDays), hasMore }
    if (opts.count) {
      let total = 0
      for (const entity of ENTITIES) total += await countChangedSince(trx, entity, from.version, scope)
      answer.total = total
    }
    if (visitsFrom !== null) answer.visitsFrom = visitsFrom
    // A device starts from no cursor when it is new or starting over, and a worker's device
    // starts over when their cells change: then it learns which cells went, and to whom.
    if (cursor !== undefined || office) return answer
    return { ...answer, cellsLeft: await cellsLeft(trx, user.id) }
  })
}

/** The first `limit` rows, fewer once their records pass `budget` bytes (never none). */
function sizedPage<R extends { data: string }>(rows: readonly R[], limit: number, budget: number): R[] {
  let bytes = 0
  let n = 0
  while (n < rows.length && n < limit) {
    bytes += rows[n]!.data.length
    if (n > 0 && bytes > budget) break
    n++
  }
  return rows.slice(0, n)
}

async function cellsLeft(trx: Parameters<typeof cellsLeftBy>[0], userId: string): Promise<CellLeft[]> {
  return (await cellsLeftBy(trx, userId)).map((r) => ({
    gridId: r.gridId,
    gridName: r.gridData ? String((JSON.parse(r.gridData) as { name?: unknown }).name ?? '') : '',
    at: new Date(r.at).toISOString(),
    toName: r.holderName,
  }))
}

async function readSettings(trx: Parameters<typeof getRecord>[0]): Promise<Settings> {
  const row = await getRecord(trx, 'settings', SETTINGS_ID)
  const parsed = row && !row.deleted ? Settings.safeParse(row.data) : null
  return parsed?.success ? parsed.data : DEFAULT_SETTINGS
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
