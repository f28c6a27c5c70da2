import { z } from 'zod'
import { say } from '../language'
import { STREET_ROLES } from '../roles'
import { Id, Instant } from './common'

/** The roles of a community's own staff: what its admin gives. */
export const CommunityRole = z.enum(['worker', 'secretary', 'admin'])
export type CommunityRole = z.infer<typeof CommunityRole>

/** The street office's staff (街道, src/domain/roles.ts): every community's figures and the cases
 *  escalated to the street, no household's record. */
export const StreetRole = z.enum(STREET_ROLES)
export type StreetRole = z.infer<typeof StreetRole>

/** Every role: a community's and the street office's. */
export const Role = z.enum([...CommunityRole.options, ...StreetRole.options])
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
  /** The user's community in a deployment of several (its key, as in the public page's address);
   *  absent from accounts listed to an admin. */
  community: z.string().max(31).optional(),
})
export type User = z.infer<typeof User>

export const LoginRequest = z.object({
  username: z.string().trim().min(1, { error: say('请输入用户名', 'Enter your username') }).max(40),
  password: z.string().min(1, { error: say('请输入密码', 'Enter your password') }).max(200),
})
export type LoginRequest = z.infer<typeof LoginRequest>

export const LoginResponse = z.object({ token: z.string(), expiresAt: z.string(), user: User })
export type LoginResponse = z.infer<typeof LoginResponse>

/** A grid cell taken off a worker (moved to another worker, or unassigned). Told to their device
 *  when it starts over, so the phone can say which cell left, when and to whom, instead of an
 *  unexplained 共 0 户. The new worker is named by display name only: a colleague's name is not
 *  resident data, and the old worker needs it to hand over. */
export const CellLeft = z.object({
  gridId: Id,
  gridName: z.string().max(50),
  /** When it was taken off this worker (the last time, if more than once). */
  at: Instant,
  /** Who holds it now; null when nobody does yet. */
  toName: z.string().max(30).nullable(),
})
export type CellLeft = z.infer<typeof CellLeft>
