import { vi } from 'vitest'
import type { User } from '../../src/domain'
import { adminUser } from '../support/fixtures'

// Shared by the admin page tests: a stubbed fetch that records method, URL and body.

export interface Call {
  method: string
  url: URL
  body: unknown
  headers: Record<string, string>
}
export type Handler = (call: Call) => Response | Promise<Response>

export function stubFetch(handler: Handler): Call[] {
  const calls: Call[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const headers = (init.headers ?? {}) as Record<string, string>
      const raw = init.body
      const body = typeof raw === 'string' && headers['content-type'] === 'application/json' ? (JSON.parse(raw) as unknown) : raw
      const call = { method: init.method ?? 'GET', url: new URL(String(input), 'http://localhost'), body, headers }
      calls.push(call)
      return handler(call)
    }),
  )
  return calls
}

export const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
export const apiError = (status: number, code: string, message: string) => json({ error: { code, message } }, status)

export function logIn(user: User = adminUser): void {
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 'tok-1', expiresAt: '2099-01-01T00:00:00.000Z', user }))
}
