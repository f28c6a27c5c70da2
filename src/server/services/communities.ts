import { DEFAULT_SETTINGS, type NewCommunityRequest, type NewCommunityResponse, SETTINGS_ID, uuidv7 } from '../../domain'
import { DEFAULT_TEMPLATES_ZH } from '../../domain/defaultTemplates'
import { AppError } from '../appError'
import type { Deployment } from '../deployment'
import { isUniqueViolation } from '../store/errors'
import { insertRecord } from '../store/recordWrites'
import { insertUser } from '../store/users'
import type { SessionUser } from './auth'
import { record } from './audit'
import { hashPassword } from './passwords'

// 新增社区 (docs/communities.md): the street office adds a community to the running deployment.
// It starts as a community's own admin would want to find it — its name in its settings, the four
// default checklist templates, and one admin account, who then draws the grid cells, makes the
// users and imports the register. Nothing of any other community is read or written.

/** Adds the community; ID_TAKEN when its key, its name or its admin's username is taken. */
export async function addCommunity(deployment: Deployment, office: SessionUser, req: NewCommunityRequest, now = new Date()): Promise<NewCommunityResponse> {
  const known = await deployment.refresh()
  if (known.some((c) => c.key === req.key)) throw keyTaken(req.key)
  if (known.some((c) => c.name === req.name)) throw nameTaken(req.name)
  const passwordHash = await hashPassword(req.admin.password)
  const at = now.toISOString()
  const admin = { id: uuidv7(), username: req.admin.username, name: req.admin.name }
  // The username first: usernames are the whole street's. Given back if the community is not made.
  const release = await deployment.claimUsername(admin.username, req.key)
  try {
    await deployment.add({ key: req.key, name: req.name }, now, (store) =>
      store.transaction().execute(async (trx) => {
        const shared = { gridId: null, householdId: null }
        await insertRecord(trx, 'settings', { id: SETTINGS_ID, ...shared }, { ...DEFAULT_SETTINGS, communityName: req.name }, {})
        for (const t of DEFAULT_TEMPLATES_ZH) {
          const id = uuidv7()
          await insertRecord(trx, 'checklist_templates', { id, ...shared }, { id, ...t }, {})
        }
        await insertUser(trx, { ...admin, role: 'admin', passwordHash, sensitiveTags: false, createdAt: at })
        // The community's own log begins with who made it: a user of the street office's store,
        // not of this one, so by name.
        await record(trx, { userId: null, action: 'community_create', subject: { type: 'user', id: admin.id }, details: { by: office.name, street: office.community, admin: admin.username }, at })
      }),
    )
  } catch (err) {
    // Another add took the same key or the same name a moment before (the directory's unique
    // key and name): ours is refused, and says which.
    if (isUniqueViolation(err)) {
      await release()
      throw (await deployment.refresh()).some((c) => c.key === req.key) ? keyTaken(req.key) : nameTaken(req.name)
    }
    // Any other failure: the username goes back only with the key. A community left listed (its
    // key could not be given back) keeps its admin's name, so that admin can still log in.
    if (!(await deployment.refresh()).some((c) => c.key === req.key)) await release()
    throw err
  }
  // The community is made: the street office's own note of it must not turn that into an error.
  await deployment
    .storeOf(office.community)
    .then((officeStore) => record(officeStore, { userId: office.id, action: 'community_create', subject: { type: 'community', id: req.key }, details: { name: req.name, admin: admin.username }, at }))
    .catch(() => undefined)
  return { key: req.key, name: req.name, createdAt: at, admin }
}

const keyTaken = (key: string) => new AppError('ID_TAKEN', `代号“${key}”已被使用`)
const nameTaken = (name: string) => new AppError('ID_TAKEN', `已有一个叫“${name}”的社区`)
