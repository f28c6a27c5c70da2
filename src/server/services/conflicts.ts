import { isSensitiveTag, maskName, type Tag } from '../../domain'
import {
  type ConflictItem,
  type ConflictListQuery,
  type ConflictListResponse,
  type ConflictNotice,
  type ConflictPerson,
  conflictFieldSchema,
  type SettleConflictRequest,
} from '../../domain/schemas/conflicts'
import { AppError, parseWith } from '../http'
import { nextVersion } from '../store/counters'
import {
  type ConflictRow,
  conflictRowsInvolving,
  countOpenConflicts,
  getConflictRow,
  householdForEdit,
  listConflictRows,
  markSettled,
  openConflictIds,
  writeHousehold,
} from '../store/conflicts'
import type { Store } from '../store/open'
import { record } from './audit'
import type { SessionUser } from './auth'
import { chinaDateTime } from './exports'
import { editorOf, readFieldVersions } from './households'
import { assertGridInScope, isCommunityWide, visibleTags } from './scope'

// The office settles what two people changed at once (design.md, "Conflicts"). Settling is an
// edit like any other: the household gets a new version, so every device pulls the value that
// stands, and the field's version moves so a later patch from an older base is a conflict again.
// Whoever wrote a value that did not stand hears it on their phone (myConflictNotices).

/** Settled conflicts a worker is still told about, after which the phone forgets them. */
export const NOTICE_DAYS = 30

/** The "device" of a change made on the office's pages: not a phone, so never anyone's own. */
const OFFICE_DEVICE = 'office'

function assertOffice(user: SessionUser): void {
  if (!isCommunityWide(user)) throw new AppError('FORBIDDEN', 403, '只有社区书记和管理员能处理修改冲突')
}

const parse = (json: string): unknown => JSON.parse(json) as unknown

/** A value as this user may see it: 政法 tags only for those granted them. */
function shown(user: SessionUser, field: string, value: unknown): unknown {
  return field === 'tags' && Array.isArray(value) ? visibleTags(user, value as Tag[]) : value
}

const person = (id: string | null, name: string | null): ConflictPerson | null => (id && name !== null ? { id, name } : null)

function toItem(user: SessionUser, r: ConflictRow): ConflictItem {
  const h = JSON.parse(r.householdData) as Record<string, unknown>
  const see = (v: unknown) => shown(user, r.field, v)
  return {
    id: r.id,
    householdId: r.householdId,
    gridId: String(r.gridId ?? h.gridId),
    address: String(h.address ?? ''),
    headNameMasked: maskName(String(h.headName ?? '')),
    field: r.field,
    kept: { value: see(parse(r.keptValue)), by: person(r.keptBy, r.keptByName), at: r.keptAt },
    overwritten: { value: see(parse(r.overwrittenValue)), by: person(r.overwrittenBy, r.overwrittenByName), at: r.overwrittenAt },
    current: see(h[r.field] ?? null),
    householdVersion: r.householdVersion,
    settled:
      r.settledAt && r.settledChoice && r.settledValue !== null
        ? { at: r.settledAt, by: person(r.settledBy, r.settledByName), choice: r.settledChoice as 'current' | 'other' | 'value', value: see(parse(r.settledValue)) }
        : null,
  }
}

export async function listConflicts(store: Store, user: SessionUser, q: ConflictListQuery): Promise<ConflictListResponse> {
  assertOffice(user)
  const { rows, total } = await listConflictRows(store, q)
  return { conflicts: rows.map((r) => toItem(user, r)), total, open: await countOpenConflicts(store) }
}

/** Settles a conflict, and with it every open conflict of the same field of the household (they
 *  ask one question: what is right). Audited; answers the conflict as it now stands. */
export async function settleConflict(store: Store, user: SessionUser, id: number, req: SettleConflictRequest, now = new Date()): Promise<ConflictItem> {
  assertOffice(user)
  const at = now.toISOString()
  await store.transaction().execute(async (trx) => {
    const c = await getConflictRow(trx, id)
    if (!c) throw new AppError('NOT_FOUND', 404, '没有这条修改冲突，或这一户已不在台账上')
    assertGridInScope(user, c.gridId)
    if (c.settledAt)
      throw new AppError('STALE', 409, `这条已由${c.settledByName ?? '别人'}在 ${chinaDateTime(c.settledAt)} 处理过了，请刷新`)
    const h = await householdForEdit(trx, c.householdId)
    if (!h) throw new AppError('NOT_FOUND', 404, '这一户已不在台账上')
    const fieldVersions = readFieldVersions(h.fieldVersions)
    // The settler decided on what the list showed them; a change since is a new fact to see first.
    if ((fieldVersions[c.field]?.v ?? 0) > req.seenVersion) throw new AppError('STALE', 409, '打开列表后这一项又被改过了，请刷新后再定')
    const schema = conflictFieldSchema(c.field)
    if (!schema) throw new AppError('VALIDATION_FAILED', 400, `「${c.field}」现在不能在手机上修改，无法在这里处理`)

    const data = JSON.parse(h.data) as Record<string, unknown>
    const current = data[c.field] ?? null
    let value: unknown =
      req.choice === 'current'
        ? current
        : req.choice === 'other'
          ? parseWith(schema, parse(c.overwrittenValue), '被覆盖的值')
          : parseWith(schema, req.value, '填写的值')
    if (c.field === 'tags' && !user.sensitiveTags) {
      // The settler never saw the 政法 tags: keep the household's, whatever was chosen.
      const kept = (current as Tag[]).filter(isSensitiveTag)
      value = [...new Set([...(value as Tag[]).filter((t) => !isSensitiveTag(t)), ...kept])]
    }

    let version: number | null = null
    if (JSON.stringify(value) !== JSON.stringify(current)) {
      version = await nextVersion(trx)
      data[c.field] = value
      fieldVersions[c.field] = { v: version, by: editorOf(user.id, OFFICE_DEVICE), at }
      await writeHousehold(trx, c.householdId, { version, data: JSON.stringify(data), fieldVersions: JSON.stringify(fieldVersions) })
    }
    const ids = await openConflictIds(trx, c.householdId, c.field)
    await markSettled(trx, ids, { at, by: user.id, choice: req.choice, value: JSON.stringify(value), version })
    // Which conflicts and how, never the values: a phone number is personal data.
    await record(trx, { userId: user.id, action: 'conflict_settle', subject: { type: 'household', id: c.householdId }, details: { conflictIds: ids, field: c.field, choice: req.choice, version }, at })
  })
  const settled = await getConflictRow(store, id)
  return toItem(user, settled!)
}

/** The values this user entered that do not stand, on households they may see now: the later
 *  write while the office has not decided, or the office's decision. Kept NOTICE_DAYS after it. */
export async function myConflictNotices(store: Store, user: SessionUser, now = new Date()): Promise<ConflictNotice[]> {
  const since = new Date(now.getTime() - NOTICE_DAYS * 86_400_000).toISOString()
  const rows = await conflictRowsInvolving(store, user.id, isCommunityWide(user) ? null : user.gridIds, since)
  const out: ConflictNotice[] = []
  for (const r of rows) {
    const settled = r.settledAt !== null && r.settledValue !== null
    const standing = settled ? r.settledValue! : r.keptValue
    // Open: the later write stands, and if it is this user's own (from another phone) nothing of theirs was lost.
    if (!settled && r.keptBy === r.overwrittenBy && r.keptBy === user.id) continue
    // Settled by this user: they decided it, there is nothing to tell them.
    if (settled && r.settledBy === user.id) continue
    const sides = [
      { mine: r.keptBy === user.id && settled, value: r.keptValue, at: r.keptAt },
      { mine: r.overwrittenBy === user.id, value: r.overwrittenValue, at: r.overwrittenAt },
    ]
    const lost = sides.find((s) => s.mine && JSON.stringify(parse(s.value)) !== JSON.stringify(parse(standing)))
    if (!lost) continue
    out.push({
      id: r.id,
      householdId: r.householdId,
      field: r.field,
      mine: shown(user, r.field, parse(lost.value)),
      mineAt: lost.at,
      standing: shown(user, r.field, parse(standing)),
      by: settled ? person(r.settledBy, r.settledByName) : person(r.keptBy, r.keptByName),
      at: settled ? r.settledAt : r.keptAt,
      settled,
    })
  }
  return out
}
