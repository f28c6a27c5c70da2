import { z } from 'zod'
import { Id } from './common'

export const Role = z.enum(['worker', 'secretary', 'admin'])
export type Role = z.infer<typeof Role>

export const User = z.object({
  id: Id,
  username: z.string().min(1).max(40),
  name: z.string().min(1).max(30),
  role: Role,
  /** Grid cells assigned to a worker; empty for community-wide roles. */
  gridIds: z.array(Id),
  /** May see the 政法 tags (社区矫正, 刑满释放, 严重精神障碍, 吸毒). */
  sensitiveTags: z.boolean(),
})
export type User = z.infer<typeof User>

export const LoginRequest = z.object({
  username: z.string().trim().min(1, { error: '请输入用户名' }).max(40),
  password: z.string().min(1, { error: '请输入密码' }).max(200),
})
export type LoginRequest = z.infer<typeof LoginRequest>

export const LoginResponse = z.object({ token: z.string(), expiresAt: z.string(), user: User })
export type LoginResponse = z.infer<typeof LoginResponse>
