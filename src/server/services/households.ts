import { Household, HouseholdPatch, type HouseholdVisitsResponse, Visit } from '../../domain'
import { AppError, parseWith } from '../appError'
import type { Store } from '../store/open'
import { getRecord, visitsOfHousehold } from '../store/records'
import { writeFieldPatch } from './fieldPatch'
import type { SessionUser } from './auth'
import type { MutationHandler } from './mutationHandler'
import { assertGridInScope, gridInScope, tagsAfterEdit } from './scope'

// Field versions are kept and read alike for households and residents (fieldPatch.ts).
export { editorOf, type FieldVersion, readFieldVersions } from './fieldPatch'

/** Field-level edit of a household (fieldPatch.ts): 住房状态, 人户状态, phone, tags, attention,
 *  notes. The 政法 tags stay the office's (scope.ts). */
export const patchHousehold: MutationHandler = async (trx, user, m, now, deviceId) => {
  const patch = parseWith(HouseholdPatch.strict(), m.data, '户信息修改')
  const row = await getRecord(trx, 'household', m.id)
  if (!row || row.deleted) throw new AppError('NOT_FOUND', '找不到这一户，可能已被删除')
  const current = Household.parse(row.data)
  assertGridInScope(user, current.gridId)

  const next: Household = { ...current }
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue
    ;(next as Record<string, unknown>)[field] = field === 'tags' ? tagsAfterEdit(user, current.tags, patch.tags!) : value
  }
  const { status, version } = await writeFieldPatch(trx, { table: 'households', entity: 'household', id: m.id, version: row.version, current, next, user, m, now, deviceId })
  return { status, version }
}

/** Every visit of a household the user may see. A household of another cell answers exactly as
 *  an unknown one does: the answer must not tell a worker which ids exist elsewhere. */
export async function householdVisits(store: Store, user: SessionUser, householdId: string): Promise<HouseholdVisitsResponse> {
  const row = await getRecord(store, 'household', householdId)
  const mayRead = row !== null && !row.deleted && gridInScope(user, row.gridId)
  if (!mayRead) throw new AppError('NOT_FOUND', '找不到这一户，可能已被删除')
  return { visits: (await visitsOfHousehold(store, householdId)).map((v) => Visit.parse(v)) }
}
