import type { Transaction } from 'kysely'
import type { Mutation } from '../../domain'
import { nextVersion } from '../store/counters'
import { type FieldTable, fieldVersionsJson, insertConflict, writeFields } from '../store/fieldVersions'
import type { Database } from '../store/schema'
import type { SessionUser } from './auth'
import type { Applied } from './mutationHandler'

/** Who made a field's last change: a user on one device. */
export const editorOf = (userId: string, deviceId: string) => `${userId}/${deviceId}`

export interface FieldVersion {
  v: number
  /** editorOf(); null for changes recorded before editors were kept (or by import). */
  by: string | null
  /** When the server took the change; absent on changes recorded before it was kept. */
  at?: string
}

/** field_versions: {field: {v, by, at?}}; older rows hold {field: version}. */
export function readFieldVersions(json: string): Record<string, FieldVersion> {
  const raw = JSON.parse(json) as Record<string, number | FieldVersion>
  const out: Record<string, FieldVersion> = {}
  for (const [field, value] of Object.entries(raw)) out[field] = typeof value === 'number' ? { v: value, by: null } : value
  return out
}

const differs = (a: unknown, b: unknown) => JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)

/** Writes a field-level edit of a household or a resident (design.md, Conflicts). Fields apply
 *  in arrival order; a field someone else changed after the editor's baseVersion is still
 *  overwritten (the later write wins) but the overwritten value is kept as a conflict for the
 *  secretary to settle, and the device hears `conflict`. Says which fields changed, for what
 *  follows from them (a household's head name when someone moves out). */
export async function writeFieldPatch<T extends object>(
  trx: Transaction<Database>,
  edit: {
    table: FieldTable
    entity: 'household' | 'resident'
    id: string
    /** The stored record's version (answered when nothing changed). */
    version: number
    current: T
    next: T
    user: SessionUser
    /** The edit's mutation; without a base version (a field the server derives) nothing conflicts. */
    m: Pick<Mutation, 'mutationId' | 'baseVersion'>
    now: string
    deviceId: string
  },
): Promise<Applied & { changed: string[] }> {
  const { current, next, m, now } = edit
  const before = current as Record<string, unknown>
  const after = next as Record<string, unknown>
  const changed = Object.keys(after).filter((f) => differs(before[f], after[f]))
  if (changed.length === 0) return { status: 'applied', version: edit.version, changed }

  const fieldVersions = readFieldVersions(await fieldVersionsJson(trx, edit.table, edit.id))
  const version = await nextVersion(trx)
  const editor = editorOf(edit.user.id, edit.deviceId)
  let conflicted = false
  for (const field of changed) {
    const last = fieldVersions[field]
    // Someone else changed this field after the version the edit was based on. The same
    // device's earlier edit is not someone else: two offline edits of one field, pushed in one
    // batch, both carry the old base version and must not conflict with each other.
    if (m.baseVersion !== undefined && last && last.v > m.baseVersion && last.by !== editor) {
      conflicted = true
      await insertConflict(trx, {
        entity: edit.entity,
        entity_id: edit.id,
        field,
        base_version: m.baseVersion,
        kept_value: JSON.stringify(after[field] ?? null),
        overwritten_value: JSON.stringify(before[field] ?? null),
        user_id: edit.user.id,
        mutation_id: m.mutationId,
        at: now,
        settled_at: null,
        overwritten_by: last.by?.split('/')[0] ?? null,
        overwritten_at: last.at ?? null,
      })
    }
    fieldVersions[field] = { v: version, by: editor, at: now }
  }
  await writeFields(trx, edit.table, edit.id, { version, data: next, fieldVersions })
  return { status: conflicted ? 'conflict' : 'applied', version, changed }
}
