import { createHash } from 'node:crypto'
import { createReadStream, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { Sha256 } from '../../domain'
import type { Deps } from '../deps'
import { AppError } from '../appError'
import { route } from '../http'
import { attachmentPath, checkUploadAllowance, MAX_ATTACHMENT_BYTES, mayReadAttachment } from '../services/attachments'
import { decodeImageOffThread } from '../services/imageDecoder'
import { findAttachment, recordUpload } from '../store/attachments'

const IMAGE_TYPES = ['image/jpeg', 'image/png']
const EXTENSION: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png' }
const Params = z.object({ sha256: Sha256 })

export function attachmentRoutes(app: FastifyInstance, { authenticate, attachmentsDir }: Deps): void {
  mkdirSync(attachmentsDir, { recursive: true })
  const fileOf = (sha: string) => attachmentPath(attachmentsDir, sha)

  app.addContentTypeParser(IMAGE_TYPES, { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES }, (_req, body, done) => done(null, body))

  // Content-addressed and idempotent: the same bytes under the same name, as often as sent.
  route(
    app,
    authenticate,
    { method: 'PUT', url: '/api/attachments/:sha256', auth: true, params: Params, bodyLimit: MAX_ATTACHMENT_BYTES },
    async ({ store, params, req, user }) => {
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim()
      if (!IMAGE_TYPES.includes(type) || !Buffer.isBuffer(req.body))
        throw new AppError('UNSUPPORTED_MEDIA', '只能上传 JPEG 或 PNG 照片')
      const bytes = req.body
      const actual = createHash('sha256').update(bytes).digest('hex')
      if (actual !== params.sha256) throw new AppError('VALIDATION_FAILED', '照片内容和编号不一致，可能传输中损坏了，会自动重传')
      const image = await decodeImageOffThread(bytes)
      if (!image) throw new AppError('UNSUPPORTED_MEDIA', '文件不是能打开的照片（JPEG 或 PNG）')
      const at = new Date().toISOString()
      const existing = await findAttachment(store, actual)
      if (existing && existsSync(fileOf(actual))) {
        // Whoever sends the bytes has the photo: they may refer to it from now on.
        await recordUpload(store, existing, user.id, at)
        return existing
      }
      await checkUploadAllowance(store, user, bytes.length)
      const path = fileOf(actual)
      mkdirSync(join(attachmentsDir, actual.slice(0, 2)), { recursive: true })
      // Written whole, then renamed: a crash never leaves half a photo under its name.
      const tmp = `${path}.${process.pid}.${Date.now()}.tmp`
      writeFileSync(tmp, bytes)
      renameSync(tmp, path)
      const row = { sha256: actual, mime: image.mime, size: bytes.length }
      await recordUpload(store, row, user.id, at)
      return row
    },
  )

  route(app, authenticate, { method: 'GET', url: '/api/attachments/:sha256', auth: true, params: Params }, async ({ store, params, user, reply }) => {
    const row = await findAttachment(store, params.sha256)
    // Unknown and not-yours answer the same, so ids cannot be probed.
    if (!row || !existsSync(fileOf(params.sha256)) || !(await mayReadAttachment(store, user, params.sha256)))
      throw new AppError('NOT_FOUND', '找不到这张照片')
    return reply
      .header('content-type', row.mime)
      .header('content-length', row.size)
      .header('content-disposition', `attachment; filename="${row.sha256}.${EXTENSION[row.mime] ?? 'bin'}"`)
      .header('cache-control', 'private, max-age=31536000, immutable')
      .send(createReadStream(fileOf(params.sha256)))
  })
}
