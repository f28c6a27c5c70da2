import { join } from 'node:path'
import type { Transaction } from 'kysely'
import { AppError } from '../appError'
import { addRefs, readablePhotos, unreferencedUploadsOf } from '../store/attachments'
import type { Store } from '../store/open'
import type { Database } from '../store/schema'
import type { SessionUser } from './auth'
import { isCommunityWide } from './scope'

/** Photos are small on purpose: the device sends at most ~300 KB; allow some slack, no more. */
export const MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024
/** Uploads no record shows yet, per user: enough for a long day of photos taken offline (the
 *  device sends the records between uploads when this is reached), not for filling the disk. */
export const MAX_UNREFERENCED_PHOTOS = 30
export const MAX_UNREFERENCED_BYTES = 20 * 1024 * 1024
/** An upload no record shows after this long is removed (the device still has the photo and
 *  sends it again if a record needs it later). */
export const UNREFERENCED_GRACE_MS = 7 * 86_400_000
/** Where a photo's file lives: <attachments>/<first two hex digits>/<sha256>. */
export function attachmentPath(attachmentsDir: string, sha256: string): string {
  return join(attachmentsDir, sha256.slice(0, 2), sha256)
}

const photoScope = (user: SessionUser) => (isCommunityWide(user) ? null : user.gridIds)

/** A record may show only photos its author may already see: their own upload, or one a record
 *  of their grid cells shows. Any other id — unknown, or another cell's photo — is answered the
 *  same way, so the answer never tells whether a photo exists. */
export async function requireReadablePhotos(trx: Store | Transaction<Database>, user: SessionUser, photoIds: readonly string[]): Promise<void> {
  if (photoIds.length === 0) return
  const readable = await readablePhotos(trx, user.id, photoScope(user), photoIds)
  if (photoIds.some((id) => !readable.has(id))) throw new AppError('ATTACHMENT_MISSING', '照片还没有上传到服务器，稍后会自动重试')
}

/** Remembers which record shows the photo, so those who may read the record may see the photo. */
export async function referAttachments(
  trx: Transaction<Database>,
  photoIds: readonly string[],
  entity: string,
  entityId: string,
  gridId: string | null,
): Promise<void> {
  await addRefs(trx, photoIds, entity, entityId, gridId)
}

/** Those who sent its bytes, the community-wide roles, and workers of a grid cell whose records show it. */
export async function mayReadAttachment(store: Store, user: SessionUser, sha256: string): Promise<boolean> {
  return (await readablePhotos(store, user.id, photoScope(user), [sha256])).has(sha256)
}

/** Refuses an upload that would take the user past their allowance of photos no record shows. */
export async function checkUploadAllowance(store: Store, user: SessionUser, size: number, now = Date.now()): Promise<void> {
  const held = await unreferencedUploadsOf(store, user.id)
  if (held.count + 1 <= MAX_UNREFERENCED_PHOTOS && held.bytes + size <= MAX_UNREFERENCED_BYTES) return
  // The allowance frees up when records showing the photos arrive, or when the oldest expires.
  const freedAt = held.oldestAt ? Date.parse(held.oldestAt) + UNREFERENCED_GRACE_MS : now
  const retryAfterSeconds = Math.max(1, Math.ceil((freedAt - now) / 1000))
  throw new AppError('QUOTA_EXCEEDED', `已上传 ${held.count} 张还没有记录使用的照片，请先同步走访记录`, {
    retryAfterSeconds,
    unreferencedPhotos: held.count,
    unreferencedBytes: held.bytes,
  })
}

