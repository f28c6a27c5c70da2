import type { CellLeft, Change, Entity, Household, PullResponse, Tag, VisitOutcome, VisitRule } from '../../domain'
import { COMPLETES, DEFAULT_SETTINGS, ENTITIES, intervalDays, PULL_PAGE_BYTES, type Resource, Settings, SETTINGS_ID, volunteerCopy } from '../../domain'
import { AppError } from '../appError'
import { readCounter } from '../store/counters'
import type { Store } from '../store/open'
import { cellsLeftBy } from '../store/gridAssignments'
import { changedSince, countChangedSince, countSnapshotRows, getRecord, type PullScope, snapshotHousehold, snapshotRows, type SnapshotRow, versionsSince } from '../store/records'
import type { SessionUser } from './auth'
import { isCommunityWide, seesCampaignDrafts, seesMatterLedger, seesServiceRecords, seesVolunteerContacts, visibleTags } from './scope'

// Cursor: "1.<scopeEpoch>.<version>[.<visit days>]". The version is the server's change sequence.
// The epoch changes when the user's grid assignment does: records entering the scope may carry
// versions older than the cursor, so the device must start over (keeping its outbox). An office
// device's cursor also says how many days of visits it was sent: when the admin widens that, the
// visits it now lacks are older than its cursor too.
//
// A first pull (no cursor) is a snapshot instead: the scope as it stood at the head version
// `upTo`, entity by entity in key order, visits household by household (store/records.ts,
// snapshotRows), so a device writes each household's visits once rather than once per page that
// holds some of them. Its cursor is "2.<scopeEpoch>.<upTo>.<entity index>.<after key or ->[.<visit
// days>]"; once the snapshot is through, the cursor is "1.<scopeEpoch>.<upTo>…" and the changes
// made meanwhile follow in version order.
const CURSOR_FORMAT = '1'
const SNAPSHOT_FORMAT = '2'
const NO_KEY = '-'
const DAY_MS = 86_400_000
const COMPLETING = (Object.keys(COMPLETES) as VisitOutcome[]).filter((o) => COMPLETES[o])

export function makeCursor(epoch: number, version: number, visitDays?: number): string {
  return `${CURSOR_FORMAT}.${epoch}.${version}${visitDays === undefined ? '' : `.${visitDays}`}`
}

function makeSnapshotCursor(epoch: number, upTo: number, entity: number, after: string, visitDays?: number): string {
  return `${SNAPSHOT_FORMAT}.${epoch}.${upTo}.${entity}.${after || NO_KEY}${visitDays === undefined ? '' : `.${visitDays}`}`
}

type From =
  | { kind: 'changes'; epoch: number; version: number; visitDays?: number }
  | { kind: 'snapshot'; epoch: number; version: number; entity: number; after: string; visitDays?: number }

const unreadableCursor = () => new AppError('CURSOR_INVALID', '同步位置无法识别，请重新同步')
const isDays = (d: number | undefined) => d === undefined || (Number.isSafeInteger(d) && d > 0)
const isVersion = (v: number) => Number.isSafeInteger(v) && v >= 0

function readCursor(cursor: string): From {
  const parts = cursor.split('.')
  const format = parts[0]
  if (format === SNAPSHOT_FORMAT) {
    const [, epoch, upTo, entity, after, days, ...rest] = parts
    const e = Number(epoch)
    const v = Number(upTo)
    const i = Number(entity)
    const d = days === undefined ? undefined : Number(days)
    if (!Number.isSafeInteger(e) || !isVersion(v) || !Number.isSafeInteger(i) || i < 0 || i >= ENTITIES.length || !after || !/^[0-9A-Za-z-]{1,40}$/.test(after) || !isDays(d) || rest.length > 0)
      throw unreadableCursor()
    return { kind: 'snapshot', epoch: e, version: v, entity: i, after: after === NO_KEY ? '' : after, visitDays: d }
  }
  const [, epoch, version, days, ...rest] = parts
  const e = Number(epoch)
  const v = Number(version)
  const d = days === undefined ? undefined : Number(days)
  if (format !== CURSOR_FORMAT || !Number.isSafeInteger(e) || !isVersion(v) || !isDays(d) || rest.length > 0) throw unreadableCursor()
  return { kind: 'changes', epoch: e, version: v, visitDays: d }
}

export interface PullOptions {
  /** Say how many records are to come from this cursor on (PullResponse.total). */
  count?: boolean
  /** PULL_PAGE_BYTES unless a test asks for less. */
  pageBytes?: number
}

type Row = { entity: Entity; id: string; version: number; deleted: number; data: string }
interface Page {
  rows: Row[]
  cursor: string
  hasMore: boolean
  /** Read from a snapshot (PullResponse.snapshot). */
  snapshot?: true
}

export async function pull(store: Store, user: SessionUser, cursor: string | undefined, limit: number, opts: PullOptions = {}): Promise<PullResponse> {
  const given = cursor === undefined ? null : readCursor(cursor)
  // One read transaction: a consistent snapshot across tables, so no change committed between two
  // table reads can end up behind the cursor we hand out. SQLite's transactions are snapshots
  // already (WAL: one reader's view stays as it began); PostgreSQL needs REPEATABLE READ for it,
  // and, read only, it need not wait for the writer (store/open.ts): writes commit one at a
  // time, so a snapshot holds every version up to the head it reads and none after.
  const snapshot = store.transaction().setIsolationLevel('repeatable read').setAccessMode('read only')
  return snapshot.execute(async (trx) => {
    const head = await readCounter(trx, 'version')
    const horizon = await readCounter(trx, 'tombstone_horizon')
    const settings = await readSettings(trx)
    const office = isCommunityWide(user)
    const visitDays = office ? settings.officeVisitDays : undefined
    const from: From = given ?? { kind: 'snapshot', epoch: user.scopeEpoch, version: head, entity: 0, after: '', visitDays }
    // A cursor from another scope, from before the tombstone horizon, from a server whose
    // database was replaced (ahead of head), or from an office device sent fewer days of visits
    // than it is to hold now, cannot be continued safely. (A cursor with no days is a complete copy.)
    const narrower = visitDays !== undefined && from.visitDays !== undefined && from.visitDays < visitDays
    if (from.epoch !== user.scopeEpoch || (from.version > 0 && from.version < horizon) || from.version > head || narrower)
      return { reset: true as const }

    const visitsFrom = visitDays === undefined ? null : new Date(Date.now() - visitDays * DAY_MS).toISOString()
    const scope: PullScope = {
      gridIds: office ? null : user.gridIds,
      visitsFrom,
      completing: COMPLETING,
      campaignDrafts: seesCampaignDrafts(user),
      serviceRecords: seesServiceRecords(user),
      ledger: seesMatterLedger(user),
    }
    const budget = opts.pageBytes ?? PULL_PAGE_BYTES
    const page =
      from.kind === 'snapshot'
        ? await snapshotPage(trx, scope, from, head, limit, budget, user.scopeEpoch, visitDays)
        : await changesPage(trx, scope, from.version, head, limit, budget, user.scopeEpoch, visitDays)
    const rules = user.sensitiveTags ? [] : settings.visitRules
    const changes: Change[] = page.rows.map((r) => ({
      entity: r.entity,
      id: r.id,
      version: r.version,
      deleted: r.deleted === 1,
      data: r.deleted === 1 ? null : redact(user, r.entity, JSON.parse(r.data) as Record<string, unknown>, rules),
    }))
    const answer: PullResponse = { changes, cursor: page.cursor, hasMore: page.hasMore, ...(page.snapshot ? { snapshot: true as const } : {}) }
    if (opts.count) answer.total = await remaining(trx, scope, from)
    if (visitsFrom !== null) answer.visitsFrom = visitsFrom
    // A device starts from no cursor when it is new or starting over, and a worker's device
    // starts over when their cells change: then it learns which cells went, and to whom.
    if (cursor !== undefined || office) return answer
    return { ...answer, cellsLeft: await cellsLeft(trx, user.id) }
  })
}

type Trx = Parameters<typeof versionsSince>[0]

/** The changes after `after` in version order, up to `limit` rows and the byte budget. */
async function changesPage(trx: Trx, scope: PullScope, after: number, head: number, limit: number, budget: number, epoch: number, visitDays?: number): Promise<Page> {
  // Where the page ends, from the versions alone (an index read); then only the records up to
  // there. Reading `limit` records of every entity and keeping `limit` of them all would read
  // and parse up to eleven times what the page holds.
  const versions = new Map<Entity, number[]>()
  for (const entity of ENTITIES) versions.set(entity, await versionsSince(trx, entity, after, scope, limit + 1))
  const all = [...versions.values()].flat().sort((a, b) => a - b)
  const moreByCount = all.length > limit
  const upTo = moreByCount ? all[limit - 1]! : undefined
  const rows: Row[] = []
  for (const [entity, vs] of versions) {
    if (vs.length === 0 || (upTo !== undefined && vs[0]! > upTo)) continue
    for (const r of await changedSince(trx, entity, after, scope, limit, upTo)) rows.push({ entity, ...r })
  }
  rows.sort((a, b) => a.version - b.version)
  const page = sizedPage(rows, limit, budget)
  const hasMore = moreByCount || rows.length > page.length
  const last = page[page.length - 1]
  return { rows: page, cursor: makeCursor(epoch, hasMore && last ? last.version : Math.max(head, after), visitDays), hasMore }
}

/** The next rows of a snapshot at `from.version`: whole households of visits, never a part of one
 *  (one with more visits than `limit` comes whole, alone); fewer rows once the byte budget is
 *  passed (never none). */
async function snapshotPage(trx: Trx, scope: PullScope, from: Extract<From, { kind: 'snapshot' }>, head: number, limit: number, budget: number, epoch: number, visitDays?: number): Promise<Page> {
  const upTo = from.version
  const rows: Row[] = []
  let bytes = 0
  let entity = from.entity
  let after = from.after
  const full = () => rows.length >= limit || (rows.length > 0 && bytes > budget)
  while (entity < ENTITIES.length && !full()) {
    const name = ENTITIES[entity]!
    const room = limit - rows.length
    const got = await snapshotRows(trx, name, scope, upTo, after, room + 1)
    // Rows grouped by what a page may not split: a household's visits, any other single record.
    const groups: SnapshotRow[][] = []
    for (const r of got.slice(0, room)) {
      const prev = groups[groups.length - 1]
      if (name === 'visit' && prev && prev[0]!.householdId === r.householdId) prev.push(r)
      else groups.push([r])
    }
    const exhausted = got.length <= room
    if (!exhausted && name === 'visit' && got[room]!.householdId === got[room - 1]!.householdId) {
      // The last household goes on past this chunk: leave it to the next page, unless it is all
      // this page would hold.
      const lastHousehold = groups.pop()!
      if (!groups.length && !rows.length) groups.push(await snapshotHousehold(trx, scope, upTo, lastHousehold[0]!.householdId!))
    }
    let taken = 0
    for (const g of groups) {
      if (full()) break
      for (const r of g) {
        rows.push({ entity: name, id: r.id, version: r.version, deleted: r.deleted, data: r.data })
        bytes += r.data.length
      }
      after = name === 'visit' ? g[0]!.householdId! : g[0]!.id
      taken++
    }
    // The entity is through only when all of its rows came and all went into the page.
    if (!exhausted || taken < groups.length) break
    entity++
    after = ''
  }
  // A full page that ends on an entity's boundary: entities holding nothing for this user (a
  // worker has no service records) would otherwise make the next page an empty one.
  if (after === '') while (entity < ENTITIES.length && (await snapshotRows(trx, ENTITIES[entity]!, scope, upTo, '', 1)).length === 0) entity++
  if (entity >= ENTITIES.length) return { rows, cursor: makeCursor(epoch, upTo, visitDays), hasMore: head > upTo, snapshot: true }
  return { rows, cursor: makeSnapshotCursor(epoch, upTo, entity, after, visitDays), hasMore: true, snapshot: true }
}

/** How many records are still to come from `from`: the rest of a snapshot and what changed since. */
async function remaining(trx: Trx, scope: PullScope, from: From): Promise<number> {
  let total = 0
  if (from.kind === 'snapshot')
    for (let i = from.entity; i < ENTITIES.length; i++) total += await countSnapshotRows(trx, ENTITIES[i]!, scope, from.version, i === from.entity ? from.after : '')
  for (const entity of ENTITIES) total += await countChangedSince(trx, entity, from.version, scope)
  return total
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

/** What a user may not see is removed before a record leaves the server: a volunteer's contact
 *  data for anyone but the office; 政法 tags for anyone not granted them. A household whose
 *  政法 tags are removed keeps the visit interval they call for (`hiddenInterval`): the worker
 *  must still come as often, and their list must agree with the office's figures. */
function redact(user: SessionUser, entity: Entity, data: Record<string, unknown>, rules: readonly VisitRule[]): Record<string, unknown> {
  // A volunteer is a person (often of another cell): their contact data stays with the office.
  if (entity === 'resource') return seesVolunteerContacts(user) ? data : (volunteerCopy(data as Resource) as Record<string, unknown>)
  if ((entity !== 'household' && entity !== 'resident') || !Array.isArray(data.tags)) return data
  const tags = data.tags as Tag[]
  const shown = visibleTags(user, tags)
  if (entity === 'household' && shown.length < tags.length)
    return { ...data, tags: shown, hiddenInterval: intervalDays({ tags, attention: data.attention as Household['attention'] }, rules) }
  return { ...data, tags: shown }
}
