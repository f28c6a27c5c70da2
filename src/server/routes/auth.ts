import type { FastifyInstance } from 'fastify'
import { LoginRequest } from '../../domain'
import { ANY_ROLE, route } from '../http'
import { login, logout, publicUser } from '../services/auth'
import { beginLoginAttempt } from '../services/loginThrottle'
import type { Deps } from '../deps'

export function authRoutes(app: FastifyInstance, { deployment, authenticate }: Deps): void {
  route(app, authenticate, { method: 'POST', url: '/api/auth/login', auth: false, body: LoginRequest }, async ({ body, req }) => {
    // req.ip is the socket's address unless TRUST_PROXY names the proxy in front of us. Tries
    // are counted deployment-wide (the main store): a username is the street's, not a community's.
    const attempt = await beginLoginAttempt(deployment.main, body.username, req.ip)
    const res = await login(deployment, body.username, body.password)
    await attempt.succeeded()
    return res
  })

  route(app, authenticate, { method: 'POST', url: '/api/auth/logout', auth: ANY_ROLE }, async ({ store, req, reply }) => {
    await logout(store, req.headers.authorization)
    return reply.status(204).send()
  })

  route(app, authenticate, { method: 'GET', url: '/api/me', auth: ANY_ROLE }, async ({ user }) => publicUser(user))
}
