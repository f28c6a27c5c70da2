import type { NewStreetStaffRequest, PatchStreetStaffRequest, StreetStaffMember, StreetStaffResponse } from '../../domain'
import type { AdminUser } from '../../domain/schemas/admin'
import type { Deployment } from '../deployment'
import type { SessionUser } from './auth'
import { createUser, listUsers, patchUser, resetPassword } from './admin'

// The street office's own accounts (docs/communities.md), kept by its admin (street_admin) as a
// community's admin keeps its: the same rules and the same audit, in the street office's store,
// whose users are its staff and nobody else. A username is the deployment's, as every other.

const member = (u: AdminUser): StreetStaffMember => ({ id: u.id, username: u.username, name: u.name, role: u.role as unknown as StreetStaffMember['role'], active: u.active, createdAt: u.createdAt })

const storeOf = (deployment: Deployment, admin: SessionUser) => deployment.storeOf(admin.community)

export async function listStreetStaff(deployment: Deployment, admin: SessionUser): Promise<StreetStaffResponse> {
  return { staff: (await listUsers(await storeOf(deployment, admin))).map(member) }
}

export async function addStreetStaff(deployment: Deployment, admin: SessionUser, req: NewStreetStaffRequest, now = new Date()): Promise<StreetStaffMember> {
  return member(await createUser(await storeOf(deployment, admin), admin, { ...req, sensitiveTags: false }, now, deployment))
}

/** A name, a role, or 停用/启用: a deactivated account's sessions end at once. */
export async function patchStreetStaff(deployment: Deployment, admin: SessionUser, id: string, patch: PatchStreetStaffRequest, now = new Date()): Promise<StreetStaffMember> {
  return member(await patchUser(await storeOf(deployment, admin), admin, id, patch, now))
}

export async function resetStreetStaffPassword(deployment: Deployment, admin: SessionUser, id: string, password: string, now = new Date()): Promise<void> {
  await resetPassword(await storeOf(deployment, admin), admin, id, password, now)
}
