import type { ApiError, PullResponse, PushRequest, PushResponse } from '../../domain'
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../domain/constants'
import { readApiError } from './answerChecks'

/** Why a request failed, as the sync engine needs to act on it. */
export type FailureKind =
  | 'network' // no connection, DNS, reset: retry with backoff
  | 'timeout' // no answer in time: retry (the server may have committed: the ledger makes it safe)
  | 'server' // 5xx: retry with backoff
  | 'rate_limited' // 429: retry after Retry-After
  | 'auth' // 401: ask for login; the outbox is untouched
  | 'protocol' // the server speaks another protocol version: the app must update
  | 'client' // another 4xx: a bug or bad data; not retried blindly

export class SyncFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
    readonly apiError?: ApiError,
  ) {
    super(message)
  }
  get retryable(): boolean {
    return this.kind === 'network' || this.kind === 'timeout' || this.kind === 'server' || this.kind === 'rate_limited'
  }
}

/** The message to show for a failed request: the server's own words when it gave some. */
export function failureMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export interface Transport {
  push(body: PushRequest): Promise<PushResponse>
  /** `count`: ask the server to say how many records are to come (PullResponse.total). */
  pull(cursor: string | undefined, limit: number, count?: boolean): Promise<PullResponse>
  /** PUT /api/attachments/:sha256 — content-addressed, so sending twice is harmless. */
  putAttachment(sha256: string, body: Blob, mime: string): Promise<void>
}

export interface HttpTransportOptions {
  baseUrl: string
  getToken: () => string | null
  fetch?: typeof fetch
  timeoutMs?: number
}

export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const at = Date.parse(value)
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined
}

/** What a failed answer means for the app, for every client in sync/. The error shape is read by
 *  hand (answerChecks.ts): a mistyped password must not download the schemas. */
export async function failureFrom(res: Response, body: unknown): Promise<SyncFailure> {
  const apiError = readApiError(body)
  const message = apiError?.message ?? `服务器返回 ${res.status}`
  if (res.status === 401) return new SyncFailure('auth', message, 401, undefined, apiError)
  if (apiError?.code === 'PROTOCOL_MISMATCH') return new SyncFailure('protocol', message, res.status, undefined, apiError)
  if (res.status === 429) return new SyncFailure('rate_limited', message, 429, parseRetryAfter(res.headers.get('retry-after')), apiError)
  if (res.status >= 500 || res.status === 408)
    return new SyncFailure('server', message, res.status, parseRetryAfter(res.headers.get('retry-after')), apiError)
  return new SyncFailure('client', message, res.status, undefined, apiError)
}

export function createHttpTransport({ baseUrl, getToken, fetch: f = globalThis.fetch.bind(globalThis), timeoutMs = 30_000 }: HttpTransportOptions): Transport {
  async function call<T>(path: string, init: RequestInit): Promise<T> {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), timeoutMs)
    let res: Response
    try {
      const token = getToken()
      res = await f(`${baseUrl}${path}`, {
        ...init,
        signal: controller.signal,
        headers: {
          ...(typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}),
          ...(init.headers as Record<string, string> | undefined),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
        },
      })
    } catch (err) {
      clearTimeout(timer)
      if (controller.signal.aborted) throw new SyncFailure('timeout', '服务器没有响应')
      throw new SyncFailure('network', `网络不通：${(err as Error).message}`)
    }
    try {
      const text = await res.text()
      const json: unknown = text ? JSON.parse(text) : null
      if (res.ok) return json as T
      throw await failureFrom(res, json)
    } catch (err) {
      if (err instanceof SyncFailure) throw err
      // A body cut off mid-way or not JSON: the answer is lost, so treat it like a dropped response.
      if (controller.signal.aborted) throw new SyncFailure('timeout', '服务器没有响应')
      throw new SyncFailure('network', `响应不完整：${(err as Error).message}`)
    } finally {
      clearTimeout(timer)
    }
  }

  return {
    push: (body) => call<PushResponse>('/api/sync/push', { method: 'POST', body: JSON.stringify(body) }),
    pull: (cursor, limit, count) => {
      const q = new URLSearchParams({ limit: String(limit) })
      if (cursor) q.set('cursor', cursor)
      if (count) q.set('count', '1')
      return call<PullResponse>(`/api/sync/pull?${q}`, { method: 'GET' })
    },
    putAttachment: async (sha256, body, mime) => {
      await call<unknown>(`/api/attachments/${sha256}`, { method: 'PUT', body, headers: { 'content-type': mime } })
    },
  }
}
