import type { FastifyInstance } from 'fastify'
import { LoginRequest } from '../../domain'
import { route } from '../http'
import { login, logout, publicUser } from '../services/auth'
import type { Deps } from '../app'

export function authRoutes(app: FastifyInstance, { store, authenticate, loginLimiter }: Deps): void {
  route(app, authenticate, { method: 'POST', url: '/api/auth/login', auth: false, body: LoginRequest }, async ({ body, req }) => {
    loginLimiter.check(`${req.ip}|${body.username}`)
    const res = await login(store, body.username, body.password)
    loginLimiter.reset(`${req.ip}|${body.username}`)
    return res
  })

  route(app, authenticate, { method: 'POST', url: '/api/auth/logout', auth: true }, async ({ req, reply }) => {
    await logout(store, req.headers.authorization)
    return reply.status(204).send()
  })

  route(app, authenticate, { method: 'GET', url: '/api/me', auth: true }, async ({ user }) => publicUser(user!))
}
