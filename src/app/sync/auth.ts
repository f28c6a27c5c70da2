import type { LoginResponse } from '../../domain'
import { loadSchemas } from './schemas'
import { getJson } from './http'

/** POST /api/auth/login. Errors come back as SyncFailure with the server's message. */
export async function loginRequest(baseUrl: string, username: string, password: string, f: typeof fetch = fetch): Promise<LoginResponse> {
  const { LoginResponse } = await loadSchemas()
  return getJson({ getToken: () => null, baseUrl, fetch: f }, '/api/auth/login', LoginResponse, { method: 'POST', json: { username, password } })
}

export async function logoutRequest(baseUrl: string, token: string, f: typeof fetch = fetch): Promise<void> {
  await f(`${baseUrl}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined)
}
