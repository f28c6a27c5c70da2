import { z } from 'zod'
import { say } from '../language'
import { Id, NOTHING_TO_CHANGE } from './common'
import { CommunityRole } from './user'

// Requests and answers of the admin's user management and the audit log (issue 6).

export const AUDIT_ACTIONS = [
  'login',
  'login_failed',
  'reveal_id_number',
  'export',
  'import',
  'assign_grid',
  'unassign_grid',
  'user_create',
  'user_update',
  'password_reset',
  'settings_change',
  /** grid cells, compounds and buildings made, edited or retired on the register page */
  'register_change',
  /** a household field two people changed, settled by the office */
  'conflict_settle',
  /** a campaign (专项任务) made, edited, discarded, launched, added to or closed */
  'campaign_change',
  'community_create',
] as const
export const AuditAction = z.enum(AUDIT_ACTIONS)
export type AuditAction = z.infer<typeof AuditAction>

export const Password = z.string().min(8, { error: say('密码至少 8 位', 'The password needs at least 8 characters') }).max(200)
export const Username = z
  .string()
  .trim()
  .min(1, { error: say('请输入用户名', 'Enter a username') })
  .max(40)
  .regex(/^[A-Za-z0-9_.-]+$/, { error: say('用户名只能用字母、数字、下划线、点和减号', 'A username can only use letters, digits, underscores, dots and hyphens') })
export const Name = z.string().trim().min(1, { error: say('请输入姓名', 'Enter a name') }).max(30)

export const AdminUser = z.object({
  id: Id,
  username: z.string(),
  name: z.string(),
  role: CommunityRole,
  gridIds: z.array(Id),
  sensitiveTags: z.boolean(),
  active: z.boolean(),
  createdAt: z.string(),
})
export type AdminUser = z.infer<typeof AdminUser>

export const AdminUsersResponse = z.object({ users: z.array(AdminUser) })
export type AdminUsersResponse = z.infer<typeof AdminUsersResponse>

export const CreateUserRequest = z.strictObject({
  username: Username,
  name: Name,
  role: CommunityRole,
  password: Password,
  sensitiveTags: z.boolean().default(false),
})
export type CreateUserRequest = z.infer<typeof CreateUserRequest>

export const PatchUserRequest = z
  .strictObject({
    name: Name.optional(),
    role: CommunityRole.optional(),
    sensitiveTags: z.boolean().optional(),
    active: z.boolean().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { error: NOTHING_TO_CHANGE })
export type PatchUserRequest = z.infer<typeof PatchUserRequest>

export const ResetPasswordRequest = z.strictObject({ password: Password })
export type ResetPasswordRequest = z.infer<typeof ResetPasswordRequest>

export const SetGridsRequest = z.strictObject({
  gridIds: z
    .array(Id)
    .max(50)
    .refine((ids) => new Set(ids).size === ids.length, { error: say('网格不能重复', 'The same grid cell is listed twice') }),
})
export type SetGridsRequest = z.infer<typeof SetGridsRequest>

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  action: AuditAction,
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
})
export type AuditEntry = z.infer<typeof AuditEntry>

export const AuditQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  action: AuditAction.optional(),
  userId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
})
export type AuditQuery = z.infer<typeof AuditQuery>

export const AuditPage = z.object({ entries: z.array(AuditEntry), total: z.number().int() })
export type AuditPage = z.infer<typeof AuditPage>

export const RevealIdNumberResponse = z.object({ idNumber: z.string().nullable() })
export type RevealIdNumberResponse = z.infer<typeof RevealIdNumberResponse>
