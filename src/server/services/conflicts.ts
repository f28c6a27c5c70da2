import { chinaDay, isSensitiveTag, maskName, residentStatusProblem, type Resident, type Tag } from '../../domain'
import {
  type ConflictItem,
  type ConflictListQuery,
  type ConflictListResponse,
  type ConflictNotice,
  type ConflictPerson,
  conflictFieldSchema,
  RESIDENT_STATUS_FIELDS,
  type SettleConflictRequest,
} from '../../domain/schemas/conflicts'
import { AppError, parseWith } from '../appError'
import { nextVersion } from '../store/counters'
import {
  type ConflictRow,
  conflictRowsInvolving,
  countOpenConflicts,
  getConflictRow,
  listConflictRows,
  markSettled,
  openConflicts,
  recordForEdit,
  writeRecord,
} from '../store/conflicts'
import type { Store } from '../store/open'
import { record } from './audit'
import type { SessionUser } from './auth'
import { chinaDateTime } from './exports'
import { editorOf, readFieldVersions } from './households'
import { refreshHouseholdNames } from './residents'
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
  if (!isCommunityWide(user)) throw new AppError('FORBIDDEN', '只有社区书记和管理员能处理修改冲突')
}

const parse = (json: string): unknown => JSON.parse(json) as unknown

/** A value as this user may see it: 政法 tags only for those granted them. */
function shown(user: SessionUser, field: string, value: unknown): unknown {
  return field === 'tags' && Array.isArray(value) ? visibleTags(user, value as Tag[]) : value
}

const person = (id: string | null, name: string | null): ConflictPerson | null => (id && name !== null ? { id, name } : null)

function toItem(user: SessionUser, r: ConflictRow): ConflictItem {
  const h = JSON.parse(r.householdData) as Record<string, unknown>
  const resident = r.entity === 'resident' && r.residentData ? (JSON.parse(r.residentData) as Record<string, unknown>) : null
  const see = (v: unknown) => shown(user, r.field, v)
  return {
    id: r.id,
    entity: r.entity,
    householdId: r.householdId,
    resident: resident ? { id: r.entityId, nameMasked: maskName(String(resident.name ?? '')), version: r.residentVersion ?? 0 } : null,
    gridId: String(r.gridId ?? h.gridId),
    address: String(h.address ?? ''),
    headNameMasked: maskName(String(h.headName ?? '')),
    field: r.field,
    kept: { value: see(parse(r.keptValue)), by: person(r.keptBy, r.keptByName), at: r.keptAt },
    overwritten: { value: see(parse(r.overwrittenValue)), by: person(r.overwrittenBy, r.overwrittenByName), at: r.overwrittenAt },
    current: see((resident ?? h)[r.field] ?? null),
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
    if (!c) throw new AppError('NOT_FOUND', '没有这条修改冲突，或这一户已不在台账上')
    assertGridInScope(user, c.gridId)
    if (c.settledAt)
      throw new AppError('STALE', `这条已由${c.settledByName ?? '别人'}在 ${chinaDateTime(c.settledAt)} 处理过了，请刷新`)
    const table = c.entity === 'resident' ? 'residents' : 'households'
    const rec = await recordForEdit(trx, table, c.entityId)
    if (!rec) throw new AppError('NOT_FOUND', c.entity === 'resident' ? '这位居民已不在台账上' : '这一户已不在台账上')
    const fieldVersions = readFieldVersions(rec.fieldVersions)
    // A resident's status, day and destination are one question, settled together.
    const group = c.entity === 'resident' && RESIDENT_STATUS_FIELDS.includes(c.field) ? RESIDENT_STATUS_FIELDS : [c.field]
    // The settler decided on what the list showed them; a change since is a new fact to see first.
    if (group.some((f) => (fieldVersions[f]?.v ?? 0) > req.seenVersion)) throw new AppError('STALE', '打开列表后这一项又被改过了，请刷新后再定')
    const schemaOf = (f: string) => {
      const schema = conflictFieldSchema(f, c.entity)
      if (!schema) throw new AppError('VALIDATION_FAILED', `「${f}」现在不能在手机上修改，无法在这里处理`)
      return schema
    }
    schemaOf(c.field)
    const open = await openConflicts(trx, c.entity, c.entityId, group)

    const data = JSON.parse(rec.data) as Record<string, unknown>
    const next: Record<string, unknown> = { ...data }
    if (group.length > 1) {
      if (req.choice === 'value') throw new AppError('VALIDATION_FAILED', '迁出、去世这一项请选定一方；要登记成别的，请在住户页面上修改')
      if (req.choice === 'other') {
        // The side the later write replaced: each field's value before it, from this write's conflicts.
        for (const f of group) {
          const before = open.find((o) => o.field === f && o.at === c.keptAt) ?? open.find((o) => o.field === f)
          if (before) next[f] = parseWith(schemaOf(f), parse(before.overwrittenValue), '被覆盖的值')
        }
        const problem = residentStatusProblem(next as Pick<Resident, 'status' | 'statusDate' | 'movedTo' | 'birthYear'>, chinaDay(now.getTime() + 3600_000))
        if (problem) throw new AppError('VALIDATION_FAILED', `被覆盖的那一方现在不成立：${problem}`)
      }
    } else {
      const current = data[c.field] ?? null
      let value: unknown =
        req.choice === 'current'
          ? current
          : req.choice === 'other'
            ? parseWith(schemaOf(c.field), parse(c.overwrittenValue), '被覆盖的值')
            : parseWith(schemaOf(c.field), req.value, '填写的值')
      if (c.field === 'tags' && !user.sensitiveTags) {
        // The settler never saw the 政法 tags: keep the household's, whatever was chosen.
        const kept = (current as Tag[]).filter(isSensitiveTag)
        value = [...new Set([...(value as Tag[]).filter((t) => !isSensitiveTag(t)), ...kept])]
      }
      next[c.field] = value
    }

    const changed = group.filter((f) => JSON.stringify(next[f] ?? null) !== JSON.stringify(data[f] ?? null))
    let version: number | null = null
    if (changed.length) {
      version = await nextVersion(trx)
      for (const f of changed) fieldVersions[f] = { v: version, by: editorOf(user.id, OFFICE_DEVICE), at }
      await writeRecord(trx, table, c.entityId, { version, data: JSON.stringify(next), fieldVersions: JSON.stringify(fieldVersions) })
      if (c.entity === 'resident' && changed.includes('status')) await refreshHouseholdNames(trx, user, c.householdId, `settle-${c.id}`, at, OFFICE_DEVICE)
    }
    for (const f of group) {
      const ids = open.filter((o) => o.field === f).map((o) => o.id)
      await markSettled(trx, ids, { at, by: user.id, choice: req.choice, value: JSON.stringify(next[f] ?? null), version })
    }
    // Which conflicts and how, never the values: a phone number is personal data.
    await record(trx, {
      userId: user.id,
      action: 'conflict_settle',
      subject: { type: c.entity, id: c.entityId },
      details: { conflictIds: open.map((o) => o.id), field: c.field, choice: req.choice, version },
      at,
    })
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
    const resident = r.entity === 'resident' && r.residentData ? (JSON.parse(r.residentData) as { name?: unknown }) : null
    out.push({
      id: r.id,
      householdId: r.householdId,
      residentNameMasked: resident ? maskName(String(resident.name ?? '')) : null,
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
