import type { PullResponse, PushRequest, PushResponse } from '../../domain'
import { checkPullResponse, checkPushResponse } from './answerChecks'
import { type ClientOptions, getCheckedJson, request } from './client'

// The sync engine's three calls, through the one client. Push and pull answers are checked by
// hand (answerChecks.ts): the envelope and each change's frame, not each record (the server
// validated those, and a first sync's pages are the app's hottest path — issue 11), and without
// zod, which the home page does not load.

export interface Transport {
  push(body: PushRequest): Promise<PushResponse>
  /** `count`: ask the server to say how many records are to come (PullResponse.total). */
  pull(cursor: string | undefined, limit: number, count?: boolean): Promise<PullResponse>
  /** PUT /api/attachments/:sha256 — content-addressed, so sending twice is harmless. */
  putAttachment(sha256: string, body: Blob, mime: string): Promise<void>
}

export type HttpTransportOptions = ClientOptions & { baseUrl: string }

export function createHttpTransport(opts: HttpTransportOptions): Transport {
  return {
    push: (body) => getCheckedJson(opts, '/api/sync/push', checkPushResponse, { method: 'POST', json: body }),
    pull: (cursor, limit, count) => {
      const q = new URLSearchParams({ limit: String(limit) })
      if (cursor) q.set('cursor', cursor)
      if (count) q.set('count', '1')
      return getCheckedJson(opts, `/api/sync/pull?${q}`, checkPullResponse)
    },
    putAttachment: async (sha256, body, mime) => {
      await request(opts, `/api/attachments/${sha256}`, { method: 'PUT', body, contentType: mime })
    },
  }
}
