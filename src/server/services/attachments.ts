import type { Transaction } from 'kysely'
import { AppError } from '../http'
import type { Store } from '../store/open'
import type { Database } from '../store/schema'
import type { SessionUser } from './auth'
import { isCommunityWide } from './scope'

/** A record may refer only to photos the server already holds: the device uploads first. */
export async function requireAttachments(trx: Transaction<Database>, photoIds: readonly string[]): Promise<void> {
  if (photoIds.length === 0) return
  const rows = await trx.selectFrom('attachments').select('sha256').where('sha256', 'in', [...photoIds]).execute()
  if (rows.length !== new Set(photoIds).size)
    throw new AppError('ATTACHMENT_MISSING', 409, '照片还没有上传到服务器，稍后会自动重试')
}

/** Remembers which record shows the photo, so those who may read the record may see the photo. */
export async function referAttachments(
  trx: Transaction<Database>,
  photoIds: readonly string[],
  entity: string,
  entityId: string,
  gridId: string | null,
): Promise<void> {
  for (const sha256 of new Set(photoIds)) {
    await trx
      .insertInto('attachment_refs')
      .values({ sha256, entity, entity_id: entityId, grid_id: gridId })
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
}

/** The uploader, the community-wide roles, and workers of a grid cell whose records show it. */
export async function mayReadAttachment(store: Store, user: SessionUser, sha256: string): Promise<boolean> {
  if (isCommunityWide(user)) return true
  const own = await store.selectFrom('attachments').select('sha256').where('sha256', '=', sha256).where('uploaded_by', '=', user.id).executeTakeFirst()
  if (own) return true
  if (user.gridIds.length === 0) return false
  const ref = await store
    .selectFrom('attachment_refs')
    .select('sha256')
    .where('sha256', '=', sha256)
    .where('grid_id', 'in', user.gridIds)
    .executeTakeFirst()
  return !!ref
}

const SIGNATURES: Array<{ mime: string; test: (b: Buffer) => boolean }> = [
  { mime: 'image/jpeg', test: (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/png', test: (b) => b.length > 8 && b.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])) },
  { mime: 'image/webp', test: (b) => b.length > 12 && b.toString('ascii', 0, 4) === 'RIFF' && b.toString('ascii', 8, 12) === 'WEBP' },
]

/** What the bytes really are, whatever the request claimed; null for anything but JPEG/PNG/WebP. */
export function sniffImage(bytes: Buffer): string | null {
  return SIGNATURES.find((s) => s.test(bytes))?.mime ?? null
}
