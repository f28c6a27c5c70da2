import { type ClientOptions, getBlob } from './client'

/** GET /api/attachments/:sha256 — a photo someone else took, to keep on the device for offline viewing. */
export const fetchAttachment = (opts: ClientOptions, sha256: string): Promise<Blob> => getBlob(opts, `/api/attachments/${encodeURIComponent(sha256)}`)
