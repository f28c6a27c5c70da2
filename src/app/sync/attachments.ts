import { SyncFailure } from './transport'

/** GET /api/attachments/:sha256 — a photo someone else took, to keep on the device for offline viewing. */
export async function fetchAttachment(sha256: string, token: string | null, f: typeof fetch = fetch): Promise<Blob> {
  let res: Response
  try {
    res = await f(`/api/attachments/${sha256}`, { headers: token ? { authorization: `Bearer ${token}` } : {} })
  } catch (err) {
    throw new SyncFailure('network', (err as Error).message)
  }
  if (!res.ok) throw new SyncFailure(res.status === 401 ? 'auth' : res.status >= 500 ? 'server' : 'client', `照片无法下载 (${res.status})`, res.status)
  return res.blob()
}
