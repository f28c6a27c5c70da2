import type { z } from 'zod'
import type { ApiError } from '../../domain'
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../domain/constants'
import { readApiError } from './answerChecks'

// The app's one HTTP client: every online call goes through send() below — the base URL, the
// token, the protocol header, JSON, a timeout that also covers reading the answer, the server's
// one error shape ({ error: { code, message } }) as an ApiFailure with its stable code, and a
// connection that failed as its own kind. Nothing here is queued: the outbox is sync/'s.

/** Why a request failed, as the scheduler and the pages need to act on it. */
export type FailureKind =
  | 'network' // no connection, DNS, reset, an answer cut off: retry with backoff
  | 'timeout' // no answer in time: retry (the server may have committed: the ledger makes it safe)
  | 'server' // 5xx: retry with backoff
  | 'rate_limited' // 429: retry after Retry-After
  | 'auth' // 401: ask for login; the outbox is untouched
  | 'protocol' // the server speaks another protocol version: the app must update
  | 'client' // another 4xx, or an answer that is not what the contract says: not retried blindly

/** A failed online call. `apiError` is the server's refusal when it gave one (its `code` is one of
 *  src/domain/errorCodes.ts); the message is for logs and tests — pages show errorText(err). */
export class ApiFailure extends Error {
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
  /** The server's stable error code, when it refused with one. */
  get code(): ApiError['code'] | undefined {
    return this.apiError?.code
  }
}

export interface ClientOptions {
  getToken: () => string | null
  baseUrl?: string
  fetch?: typeof fetch
  timeoutMs?: number
}

export interface RequestInitLite {
  method?: string
  json?: unknown
  body?: Blob
  contentType?: string
  /** A successful answer's headers, as soon as they are in: before its body is read. */
  onHeaders?: (headers: Headers) => void
}

export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const at = Date.parse(value)
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined
}

/** What a failed answer means for the app. The error shape is read by hand (answerChecks.ts): a
 *  mistyped password must not download the schemas. */
export async function failureFrom(res: Response, body: unknown): Promise<ApiFailure> {
  const apiError = readApiError(body)
  const message = apiError?.message ?? `服务器返回 ${res.status}`
  if (res.status === 401) return new ApiFailure('auth', message, 401, undefined, apiError)
  if (apiError?.code === 'PROTOCOL_MISMATCH') return new ApiFailure('protocol', message, res.status, undefined, apiError)
  if (res.status === 429) return new ApiFailure('rate_limited', message, 429, parseRetryAfter(res.headers.get('retry-after')), apiError)
  if (res.status >= 500 || res.status === 408)
    return new ApiFailure('server', message, res.status, parseRetryAfter(res.headers.get('retry-after')), apiError)
  return new ApiFailure('client', message, res.status, undefined, apiError)
}

/** An answer that is not what the contract says (an old server, a proxy's page). */
export const unreadable = (detail: string, status?: number) => new ApiFailure('client', `服务器的回答看不懂：${detail}`, status)

/** One request: `read` takes the successful answer's body, under the same timeout. */
async function send<T>(opts: ClientOptions, path: string, init: RequestInitLite, read: (res: Response) => Promise<T>): Promise<T> {
  const f = opts.fetch ?? globalThis.fetch.bind(globalThis)
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs ?? 30_000)
  const token = opts.getToken()
  const headers: Record<string, string> = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), ...(token ? { authorization: `Bearer ${token}` } : {}) }
  let body: BodyInit | undefined
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(init.json)
  } else if (init.body) {
    headers['content-type'] = init.contentType || 'application/octet-stream'
    body = init.body
  }
  try {
    let res: Response
    try {
      res = await f(`${opts.baseUrl ?? ''}${path}`, { method: init.method ?? 'GET', signal: controller.signal, headers, ...(body !== undefined ? { body } : {}) })
    } catch (err) {
      if (controller.signal.aborted) throw new ApiFailure('timeout', '服务器没有响应')
      throw new ApiFailure('network', `网络不通：${(err as Error).message}`)
    }
    if (!res.ok) throw await failureFrom(res, await res.json().catch(() => null))
    try {
      return await read(res)
    } catch (err) {
      if (err instanceof ApiFailure) throw err
      // A body cut off mid-way or not JSON: the answer is lost, so treat it like a dropped response.
      if (controller.signal.aborted) throw new ApiFailure('timeout', '服务器没有响应')
      throw new ApiFailure('network', `响应不完整：${(err as Error).message}`)
    }
  } finally {
    clearTimeout(timer)
  }
}

/** A request whose answer's body does not matter (or is read by the caller, without the timeout). */
export const request = (opts: ClientOptions, path: string, init: RequestInitLite = {}): Promise<Response> => send(opts, path, init, async (res) => res)

/** A JSON answer checked by `check`, which returns it or throws an Error saying what is wrong. */
export async function getCheckedJson<T>(opts: ClientOptions, path: string, check: (body: unknown) => T, init: RequestInitLite = {}): Promise<T> {
  const { body, status } = await send(opts, path, init, async (res) => {
    init.onHeaders?.(res.headers)
    const text = await res.text()
    return { body: text ? (JSON.parse(text) as unknown) : null, status: res.status }
  })
  try {
    return check(body)
  } catch (err) {
    throw unreadable((err as Error).message, status)
  }
}

/** A JSON answer, checked against its schema (the contract in src/domain/schemas). */
export function getJson<S extends z.ZodType>(opts: ClientOptions, path: string, schema: S, init?: RequestInitLite): Promise<z.infer<S>> {
  return getCheckedJson(
    opts,
    path,
    (body) => {
      const parsed = schema.safeParse(body)
      if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? '')
      return parsed.data
    },
    init,
  )
}

/** The file name the server chose (RFC 5987 `filename*` first, then plain `filename`). */
export function filenameFrom(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition)
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim())
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]+)"/i.exec(disposition)
  return plain ? plain[1]! : fallback
}

/** A binary answer (a photo). */
export const getBlob = (opts: ClientOptions, path: string, init?: RequestInitLite): Promise<Blob> => send(opts, path, init ?? {}, (res) => res.blob())

/** A file answer and the name to save it under. */
export function download(opts: ClientOptions, path: string, fallback: string): Promise<{ blob: Blob; filename: string }> {
  return send(opts, path, {}, async (res) => ({ blob: await res.blob(), filename: filenameFrom(res.headers.get('content-disposition'), fallback) }))
}
