import type { FastifyInstance } from 'fastify'
import { LoginRequest } from '../../domain'
import { route } from '../http'
import { login, logout, publicUser } from '../services/auth'
import { beginLoginAttempt } from '../services/loginThrottle'
import type { Deps } from '../app'

export function authRoutes(app: FastifyInstance, { store, authenticate }: Deps): void {
  route(app, authenticate, { method: 'POST', url: '/api/auth/login', auth: false, body: LoginRequest }, async ({ body, req }) => {
    // req.ip is the socket's address unless TRUST_PROXY names the proxy in front of us.
    const attempt = await beginLoginAttempt(store, body.username, req.ip)
    const res = await login(store, body.username, body.password)
    await attempt.succeeded()
    return res
  })

  route(app, authenticate, { method: 'POST', url: '/api/auth/logout', auth: true }, async ({ req, reply }) => {
    await logout(store, req.headers.authorization)
    return reply.status(204).send()
  })

  route(app, authenticate, { method: 'GET', url: '/api/me', auth: true }, async ({ user }) => publicUser(user!))
}
