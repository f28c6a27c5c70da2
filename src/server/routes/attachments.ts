import { createHash } from 'node:crypto'
import { createReadStream, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { Sha256 } from '../../domain'
import type { Deps } from '../app'
import { AppError, route } from '../http'
import { mayReadAttachment, sniffImage } from '../services/attachments'

/** Photos are small on purpose: the device sends at most ~300 KB; allow some slack, no more. */
export const MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp']
const Params = z.object({ sha256: Sha256 })

export function attachmentRoutes(app: FastifyInstance, { store, authenticate, attachmentsDir }: Deps): void {
  mkdirSync(attachmentsDir, { recursive: true })
  const fileOf = (sha: string) => join(attachmentsDir, sha.slice(0, 2), sha)

  app.addContentTypeParser(IMAGE_TYPES, { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES }, (_req, body, done) => done(null, body))

  // Content-addressed and idempotent: the same bytes under the same name, as often as sent.
  route(
    app,
    authenticate,
    { method: 'PUT', url: '/api/attachments/:sha256', auth: true, params: Params, bodyLimit: MAX_ATTACHMENT_BYTES },
    async ({ params, req, user }) => {
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim()
      if (!IMAGE_TYPES.includes(type) || !Buffer.isBuffer(req.body))
        throw new AppError('UNSUPPORTED_MEDIA', 415, '只能上传 JPEG、PNG 或 WebP 照片')
      const bytes = req.body
      const mime = sniffImage(bytes)
      if (!mime) throw new AppError('UNSUPPORTED_MEDIA', 415, '文件不是照片（JPEG、PNG 或 WebP）')
      const actual = createHash('sha256').update(bytes).digest('hex')
      if (actual !== params.sha256) throw new AppError('VALIDATION_FAILED', 400, '照片内容和编号不一致，可能传输中损坏了，会自动重传')
      const existing = await store.selectFrom('attachments').select(['sha256', 'size', 'mime']).where('sha256', '=', actual).executeTakeFirst()
      if (existing && existsSync(fileOf(actual))) return { sha256: actual, size: existing.size, mime: existing.mime }
      const path = fileOf(actual)
      mkdirSync(join(attachmentsDir, actual.slice(0, 2)), { recursive: true })
      // Written whole, then renamed: a crash never leaves half a photo under its name.
      const tmp = `${path}.${process.pid}.${Date.now()}.tmp`
      writeFileSync(tmp, bytes)
      renameSync(tmp, path)
      await store
        .insertInto('attachments')
        .values({ sha256: actual, mime, size: bytes.length, uploaded_by: user!.id, created_at: new Date().toISOString() })
        .onConflict((oc) => oc.doNothing())
        .execute()
      return { sha256: actual, size: bytes.length, mime }
    },
  )

  route(app, authenticate, { method: 'GET', url: '/api/attachments/:sha256', auth: true, params: Params }, async ({ params, user, reply }) => {
    const row = await store.selectFrom('attachments').select(['mime', 'size']).where('sha256', '=', params.sha256).executeTakeFirst()
    // Unknown and not-yours answer the same, so ids cannot be probed.
    if (!row || !existsSync(fileOf(params.sha256)) || !(await mayReadAttachment(store, user!, params.sha256)))
      throw new AppError('NOT_FOUND', 404, '找不到这张照片')
    return reply
      .header('content-type', row.mime)
      .header('content-length', row.size)
      .header('cache-control', 'private, max-age=31536000, immutable')
      .send(createReadStream(fileOf(params.sha256)))
  })
}
