import { Household, HouseholdPatch, isSensitiveTag, type Tag } from '../../domain'
import { AppError, parseWith } from '../http'
import { nextVersion } from '../store/counters'
import { getRecord } from '../store/records'
import type { MutationHandler } from './push'
import { assertGridInScope } from './scope'

/** Field-level edit. Fields apply in arrival order; a field someone else changed after the
 *  editor's baseVersion is still overwritten (the later write wins) but the overwritten value
 *  is kept as a conflict for the secretary to settle, and the device hears `conflict`. */
export const patchHousehold: MutationHandler = async (trx, user, m, now, deviceId) => {
  const patch = parseWith(HouseholdPatch.strict(), m.data, '户信息修改')
  const row = await getRecord(trx, 'household', m.id)
  if (!row || row.deleted) throw new AppError('NOT_FOUND', 404, '找不到这一户，可能已被删除')
  const current = Household.parse(row.data)
  assertGridInScope(user, current.gridId)

  const next: Household = { ...current }
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue
    if (field === 'tags' && !user.sensitiveTags) {
      // The user never saw the 政法 tags: keep them, whatever the device sent.
      const kept = current.tags.filter(isSensitiveTag)
      ;(next as Record<string, unknown>).tags = [...new Set([...(value as Tag[]).filter((t) => !isSensitiveTag(t)), ...kept])]
    } else {
      ;(next as Record<string, unknown>)[field] = value
    }
  }

  const fieldRow = await trx.selectFrom('households').select('field_versions').where('id', '=', m.id).executeTakeFirstOrThrow()
  const fieldVersions = readFieldVersions(fieldRow.field_versions)
  const changed = Object.keys(patch).filter(
    (f) => JSON.stringify((current as Record<string, unknown>)[f]) !== JSON.stringify((next as Record<string, unknown>)[f]),
  )
  if (changed.length === 0) return { status: 'applied', version: row.version }

  const version = await nextVersion(trx)
  const editor = editorOf(user.id, deviceId)
  let conflicted = false
  for (const field of changed) {
    const last = fieldVersions[field]
    // Someone else changed this field after the version the edit was based on. The same
    // device's earlier edit is not someone else: two offline edits of one field, pushed in one
    // batch, both carry the old base version and must not conflict with each other.
    if (m.baseVersion !== undefined && last && last.v > m.baseVersion && last.by !== editor) {
      conflicted = true
      await trx
        .insertInto('conflicts')
        .values({
          entity: 'household',
          entity_id: m.id,
          field,
          base_version: m.baseVersion,
          kept_value: JSON.stringify((next as Record<string, unknown>)[field]),
          overwritten_value: JSON.stringify((current as Record<string, unknown>)[field]),
          user_id: user.id,
          mutation_id: m.mutationId,
          at: now,
          settled_at: null,
          overwritten_by: last.by?.split('/')[0] ?? null,
          overwritten_at: last.at ?? null,
        })
        .execute()
    }
    fieldVersions[field] = { v: version, by: editor, at: now }
  }
  await trx
    .updateTable('households')
    .set({ version, data: JSON.stringify(next), field_versions: JSON.stringify(fieldVersions) })
    .where('id', '=', m.id)
    .execute()
  return { status: conflicted ? 'conflict' : 'applied', version }
}

/** Who made a field's last change: a user on one device. */
export const editorOf = (userId: string, deviceId: string) => `${userId}/${deviceId}`

export interface FieldVersion {
  v: number
  /** editorOf(); null for changes recorded before editors were kept (or by import). */
  by: string | null
  /** When the server took the change; absent on changes recorded before it was kept. */
  at?: string
}

/** households.field_versions: {field: {v, by, at?}}; older rows hold {field: version}. */
export function readFieldVersions(json: string): Record<string, FieldVersion> {
  const raw = JSON.parse(json) as Record<string, number | FieldVersion>
  const out: Record<string, FieldVersion> = {}
  for (const [field, value] of Object.entries(raw)) out[field] = typeof value === 'number' ? { v: value, by: null } : value
  return out
}
