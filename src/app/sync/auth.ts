import type { LoginResponse } from '../../domain'
import { loadSchemas } from './schemas'
import { SyncFailure } from './transport'

/** POST /api/auth/login. Errors come back as SyncFailure with the server's message. */
export async function loginRequest(baseUrl: string, username: string, password: string, f: typeof fetch = fetch): Promise<LoginResponse> {
  let res: Response
  try {
    res = await f(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    })
  } catch (err) {
    throw new SyncFailure('network', (err as Error).message)
  }
  const json: unknown = await res.json().catch(() => null)
  if (!res.ok) {
    const e = (await loadSchemas()).ErrorBody.safeParse(json).data?.error
    throw new SyncFailure(res.status === 401 ? 'auth' : 'client', e?.message ?? `HTTP ${res.status}`, res.status, undefined, e)
  }
  return (await loadSchemas()).LoginResponse.parse(json)
}

export async function logoutRequest(baseUrl: string, token: string, f: typeof fetch = fetch): Promise<void> {
  await f(`${baseUrl}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined)
}
