import type { PullResponse, PushRequest, PushResponse } from '../../domain'
import { checkPullResponse, checkPushResponse } from './answerChecks'
import { PULL_NEXT_HEADER } from '../../domain/constants'
import { type ClientOptions, getCheckedJson, request } from './client'

// The sync engine's three calls, through the one client. Push and pull answers are checked by
// hand (answerChecks.ts): the envelope and each change's frame, not each record (the server
// validated those, and a first sync's pages are the app's hottest path — issue 11), and without
// zod, which the home page does not load.

export interface Transport {
  push(body: PushRequest): Promise<PushResponse>
  /** `count`: ask the server to say how many records are to come (PullResponse.total).
   *  `onMore`: called with the next page's cursor once the answer's headers say more follows,
   *  before its body is in (PULL_NEXT_HEADER); a transport may never call it. */
  pull(cursor: string | undefined, limit: number, count?: boolean, onMore?: (next: string) => void): Promise<PullResponse>
  /** PUT /api/attachments/:sha256 — content-addressed, so sending twice is harmless. */
  putAttachment(sha256: string, body: Blob, mime: string): Promise<void>
}

export type HttpTransportOptions = ClientOptions & { baseUrl: string }

export function createHttpTransport(opts: HttpTransportOptions): Transport {
  return {
    push: (body) => getCheckedJson(opts, '/api/sync/push', checkPushResponse, { method: 'POST', json: body }),
    pull: (cursor, limit, count, onMore) => {
      const q = new URLSearchParams({ limit: String(limit) })
      if (cursor) q.set('cursor', cursor)
      if (count) q.set('count', '1')
      const onHeaders = (h: Headers) => {
        const next = h.get(PULL_NEXT_HEADER)
        if (next) onMore!(next)
      }
      return getCheckedJson(opts, `/api/sync/pull?${q}`, checkPullResponse, onMore ? { onHeaders } : {})
    },
    putAttachment: async (sha256, body, mime) => {
      await request(opts, `/api/attachments/${sha256}`, { method: 'PUT', body, contentType: mime })
    },
  }
}
