import type { z } from 'zod'
import { failureFrom, SyncFailure } from './transport'

// Requests of the online-only clients (statistics, exports, admin): the token, a timeout, and
// failures as SyncFailure exactly as the sync transport reports them. Nothing here is queued.

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
}

export async function request(opts: ClientOptions, path: string, init: RequestInitLite = {}): Promise<Response> {
  const f = opts.fetch ?? globalThis.fetch.bind(globalThis)
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs ?? 30_000)
  const token = opts.getToken()
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
  let body: BodyInit | undefined
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(init.json)
  } else if (init.body) {
    headers['content-type'] = init.contentType || 'application/octet-stream'
    body = init.body
  }
  let res: Response
  try {
    res = await f(`${opts.baseUrl ?? ''}${path}`, { method: init.method ?? 'GET', signal: controller.signal, headers, ...(body !== undefined ? { body } : {}) })
  } catch (err) {
    if (controller.signal.aborted) throw new SyncFailure('timeout', '服务器没有响应')
    throw new SyncFailure('network', `网络不通：${(err as Error).message}`)
  } finally {
    clearTimeout(timer)
  }
  if (res.ok) return res
  throw await failureFrom(res, await res.json().catch(() => null))
}

async function readJson(opts: ClientOptions, path: string, init?: RequestInitLite): Promise<{ body: unknown; status: number }> {
  const res = await request(opts, path, init)
  try {
    return { body: await res.json(), status: res.status }
  } catch (err) {
    throw new SyncFailure('network', `响应不完整：${(err as Error).message}`)
  }
}

const unreadable = (detail: string, status: number) => new SyncFailure('client', `服务器的回答看不懂：${detail}`, status)

/** A JSON answer, checked against its schema (the contract in src/domain). */
export async function getJson<S extends z.ZodType>(opts: ClientOptions, path: string, schema: S, init?: RequestInitLite): Promise<z.infer<S>> {
  const { body, status } = await readJson(opts, path, init)
  const parsed = schema.safeParse(body)
  if (!parsed.success) throw unreadable(parsed.error.issues[0]?.message ?? '', status)
  return parsed.data
}

/** A JSON answer checked by hand: for the answers on the way to the first screen, where the zod
 *  schema would be the only reason to download zod. `check` returns the answer or throws an
 *  Error saying what is wrong with it; the page hears it exactly as a schema's complaint. */
export async function getCheckedJson<T>(opts: ClientOptions, path: string, check: (body: unknown) => T, init?: RequestInitLite): Promise<T> {
  const { body, status } = await readJson(opts, path, init)
  try {
    return check(body)
  } catch (err) {
    throw unreadable((err as Error).message, status)
  }
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

/** A file answer and the name to save it under. */
export async function download(opts: ClientOptions, path: string, fallback: string): Promise<{ blob: Blob; filename: string }> {
  const res = await request(opts, path)
  return { blob: await res.blob(), filename: filenameFrom(res.headers.get('content-disposition'), fallback) }
}
