import type { LoginResponse } from '../../domain'
import { getCheckedJson } from './http'
import { checkLoginResponse } from './answerChecks'

/** POST /api/auth/login. Errors come back as SyncFailure with the server's message; an answer
 *  that is not a login answer as SyncFailure 'client' saying which field is wrong. Checked by
 *  hand, not by the schema: zod stays off the way from the login screen to the home page. */
export async function loginRequest(baseUrl: string, username: string, password: string, f: typeof fetch = fetch): Promise<LoginResponse> {
  return getCheckedJson({ getToken: () => null, baseUrl, fetch: f }, '/api/auth/login', checkLoginResponse, { method: 'POST', json: { username, password } })
}

export async function logoutRequest(baseUrl: string, token: string, f: typeof fetch = fetch): Promise<void> {
  await f(`${baseUrl}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined)
}
