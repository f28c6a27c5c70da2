import type { LoginResponse } from '../../domain'
import { checkLoginResponse } from './answerChecks'
import { type ClientOptions, getCheckedJson, request } from './client'

/** POST /api/auth/login. Errors come back as ApiFailure with the server's code; an answer that is
 *  not a login answer as ApiFailure 'client' saying which field is wrong. Checked by hand, not by
 *  the schema: zod stays off the way from the login screen to the home page. */
export function loginRequest(opts: Omit<ClientOptions, 'getToken'>, username: string, password: string): Promise<LoginResponse> {
  return getCheckedJson({ ...opts, getToken: () => null }, '/api/auth/login', checkLoginResponse, { method: 'POST', json: { username, password } })
}

/** POST /api/auth/logout: best effort — the device forgets the session whatever the answer. */
export async function logoutRequest(opts: ClientOptions): Promise<void> {
  await request(opts, '/api/auth/logout', { method: 'POST' }).catch(() => undefined)
}
