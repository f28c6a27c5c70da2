import { type Kysely, sql, type Transaction } from 'kysely'
import type { Database } from './schema'

type Db = Kysely<Database> | Transaction<Database>

export interface AttachmentRow {
  sha256: string
  mime: string
  size: number
}

export async function findAttachment(db: Db, sha256: string): Promise<AttachmentRow | undefined> {
  return db.selectFrom('attachments').select(['sha256', 'mime', 'size']).where('sha256', '=', sha256).executeTakeFirst()
}

/** Stores a photo's row (first uploader kept) and records this user as one who sent its bytes;
 *  sending them again refreshes that user's upload time (and so its grace period). */
export async function recordUpload(db: Db, row: AttachmentRow, userId: string, at: string): Promise<void> {
  await db
    .insertInto('attachments')
    .values({ ...row, uploaded_by: userId, created_at: at })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute()
  await db
    .insertInto('attachment_uploads')
    .values({ sha256: row.sha256, user_id: userId, uploaded_at: at })
    .onConflict((oc) => oc.columns(['sha256', 'user_id']).doUpdateSet({ uploaded_at: at }))
    .execute()
}

/** Of these photos, the ones that exist and the user may see: their own uploads, or photos a
 *  record in one of their grid cells shows. `gridIds` null: every photo (community-wide roles). */
export async function readablePhotos(db: Db, userId: string, gridIds: readonly string[] | null, sha256s: readonly string[]): Promise<Set<string>> {
  const wanted = [...new Set(sha256s)]
  if (wanted.length === 0) return new Set()
  if (gridIds === null) {
    const rows = await db.selectFrom('attachments').select('sha256').where('sha256', 'in', wanted).execute()
    return new Set(rows.map((r) => r.sha256))
  }
  const own = await db
    .selectFrom('attachment_uploads')
    .innerJoin('attachments', 'attachments.sha256', 'attachment_uploads.sha256')
    .select('attachment_uploads.sha256')
    .where('attachment_uploads.user_id', '=', userId)
    .where('attachment_uploads.sha256', 'in', wanted)
    .execute()
  const seen = new Set(own.map((r) => r.sha256))
  const rest = wanted.filter((s) => !seen.has(s))
  if (rest.length && gridIds.length) {
    const refs = await db
      .selectFrom('attachment_refs')
      .innerJoin('attachments', 'attachments.sha256', 'attachment_refs.sha256')
      .select('attachment_refs.sha256')
      .where('attachment_refs.sha256', 'in', rest)
      .where('attachment_refs.grid_id', 'in', [...gridIds])
      .execute()
    for (const r of refs) seen.add(r.sha256)
  }
  return seen
}

export async function addRefs(db: Db, sha256s: readonly string[], entity: string, entityId: string, gridId: string | null): Promise<void> {
  for (const sha256 of new Set(sha256s)) {
    await db
      .insertInto('attachment_refs')
      .values({ sha256, entity, entity_id: entityId, grid_id: gridId })
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
}

const unreferenced = (db: Db) =>
  db
    .selectFrom('attachment_uploads')
    .innerJoin('attachments', 'attachments.sha256', 'attachment_uploads.sha256')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('attachment_refs').select(sql.lit(1).as('one')).whereRef('attachment_refs.sha256', '=', 'attachment_uploads.sha256'))),
    )

/** The user's uploads no record shows yet: how many, how many bytes, and the oldest one's time. */
export async function unreferencedUploadsOf(db: Db, userId: string): Promise<{ count: number; bytes: number; oldestAt: string | null }> {
  const row = await unreferenced(db)
    .select((eb) => [eb.fn.countAll().as('count'), eb.fn.sum<number>('attachments.size').as('bytes'), eb.fn.min('attachment_uploads.uploaded_at').as('oldest')])
    .where('attachment_uploads.user_id', '=', userId)
    .executeTakeFirst()
  return { count: Number(row?.count ?? 0), bytes: Number(row?.bytes ?? 0), oldestAt: (row?.oldest as string | null | undefined) ?? null }
}

/** Deletes photos no record shows whose every upload is older than `before`; returns their ids
 *  so the caller removes the files (after this commits). */
export async function purgeUnreferenced(db: Db, before: string): Promise<string[]> {
  const rows = await db
    .selectFrom('attachments')
    .select('sha256')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('attachment_refs').select(sql.lit(1).as('one')).whereRef('attachment_refs.sha256', '=', 'attachments.sha256'))),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('attachment_uploads')
            .select(sql.lit(1).as('one'))
            .whereRef('attachment_uploads.sha256', '=', 'attachments.sha256')
            .where('attachment_uploads.uploaded_at', '>=', before),
        ),
      ),
    )
    .execute()
  const ids = rows.map((r) => r.sha256)
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500)
    await db.deleteFrom('attachment_uploads').where('sha256', 'in', chunk).execute()
    await db.deleteFrom('attachments').where('sha256', 'in', chunk).execute()
  }
  return ids
}
