import type { Transaction } from 'kysely'
import {
  checkProjectTransition,
  joinProject,
  leaveProject,
  meetByProject,
  metByCompletion,
  newProject,
  Need,
  Project,
  ProjectCreate,
  ProjectPatch,
  ProjectTransition,
  Resource,
  whyNotEdit,
  whyNotJoin,
} from '../../domain'
import { AppError } from '../appError'
import { findListRow, listRowsByIds, needsOfProject, putNeed, putProject } from '../store/lists'
import type { Database } from '../store/schema'
import { referAttachments, requireReadablePhotos } from './attachments'
import { assertListManager, flowRefusal, parseList } from './lists'
import type { MutationHandler } from './mutationHandler'

// 项目清单: the office makes a project for needs of the list (at least one: PROJECT_NO_NEEDS),
// with the resources it uses, and moves it 策划 → 实施 → 完成 → 评价 (needFlow.ts). A need that
// joins a project is matched by it; the project's completion meets every need it still has open
// or matched, in the same transaction, each as a new version so the workers' phones pull it.

type Trx = Transaction<Database>

async function loadProject(trx: Trx, id: string): Promise<Project> {
  const row = await findListRow(trx, 'projects', id)
  if (!row || row.deleted) throw new AppError('NOT_FOUND', '找不到这个项目')
  return Project.parse(row.data)
}

/** The resources must exist; those newly named must still be active. */
async function checkResources(trx: Trx, ids: readonly string[], already: readonly string[] = []): Promise<void> {
  const found = (await listRowsByIds(trx, 'resources', ids)).map((d) => Resource.parse(d))
  if (found.length !== new Set(ids).size) throw new AppError('NOT_FOUND', '项目用到的资源里有找不到的')
  const retired = found.find((r) => !r.active && !already.includes(r.id))
  if (retired) throw new AppError('VALIDATION_FAILED', `资源「${retired.name}」已停用，不能用于项目`)
}

/** The needs joining the project, each allowed to (unresolved, in no other project). */
async function joining(trx: Trx, project: Project, ids: readonly string[]): Promise<Need[]> {
  const needs = (await listRowsByIds(trx, 'needs', ids)).map((d) => Need.parse(d))
  if (needs.length !== new Set(ids).size) throw new AppError('NOT_FOUND', '项目要解决的需求里有找不到的')
  const titles = new Map<string, string>()
  for (const n of needs) if (n.projectId && n.projectId !== project.id) titles.set(n.projectId, (await loadProject(trx, n.projectId)).title)
  for (const n of needs) {
    const why = whyNotJoin(n, project, (id) => titles.get(id) ?? '另一个项目')
    if (why) throw new AppError('INVALID_TRANSITION', why)
  }
  return needs
}

async function putChanged(trx: Trx, before: readonly Need[], after: (n: Need) => Need): Promise<void> {
  for (const n of before) {
    const next = after(n)
    if (next !== n) await putNeed(trx, Need.parse(next))
  }
}

async function referPhotos(trx: Trx, project: Project, photoIds: readonly string[], before: readonly string[]): Promise<void> {
  // Projects are the community's: their photos show people the office met, so they are readable
  // by the office (and whoever uploaded them), not by every worker (no grid cell is named).
  await referAttachments(trx, photoIds.filter((p) => !before.includes(p)), 'project', project.id, null)
}

/** project:create (office): a project in 策划, its needs matched by it. */
export const createProject: MutationHandler = async (trx, user, m, now) => {
  assertListManager(user, '项目清单')
  const input = parseList(ProjectCreate, m.data, '项目')
  if (input.id !== m.id) throw new AppError('VALIDATION_FAILED', '项目编号与提交编号不一致')
  if (await findListRow(trx, 'projects', input.id)) throw new AppError('ID_TAKEN', '这个项目的编号已被占用')
  await checkResources(trx, input.resourceIds)
  const project = parseList(Project, newProject(input, user.id, now), '项目')
  const needs = await joining(trx, project, project.needIds)
  const version = await putProject(trx, project)
  await putChanged(trx, needs, (n) => joinProject(n, project, now))
  return { status: 'applied', version }
}

/** project:patch (office): what may change at the project's stage (needFlow.whyNotEdit). */
export const patchProject: MutationHandler = async (trx, user, m, now) => {
  assertListManager(user, '项目清单')
  const patch = parseList(ProjectPatch, m.data, '项目的修改')
  const current = await loadProject(trx, m.id)
  const why = whyNotEdit(current, patch)
  if (why) throw new AppError('INVALID_TRANSITION', why)
  if (patch.resourceIds) await checkResources(trx, patch.resourceIds, current.resourceIds)
  if (patch.photoIds) await requireReadablePhotos(trx, user, patch.photoIds)
  const next = parseList(Project, { ...current, ...patch, updatedAt: now }, '项目')
  const added = next.needIds.filter((id) => !current.needIds.includes(id))
  const removed = current.needIds.filter((id) => !next.needIds.includes(id))
  const joiningNeeds = await joining(trx, next, added)
  const leaving = (await listRowsByIds(trx, 'needs', removed)).map((d) => Need.parse(d)).filter((n) => n.projectId === next.id)
  const version = await putProject(trx, next)
  await putChanged(trx, joiningNeeds, (n) => joinProject(n, next, now))
  await putChanged(trx, leaving, (n) => leaveProject(n, now))
  await referPhotos(trx, next, next.photoIds, current.photoIds)
  return { status: 'applied', version }
}

/** project:transition (office): start, complete (its needs met), evaluate. */
export const transitionProject: MutationHandler = async (trx, user, m, now) => {
  assertListManager(user, '项目清单')
  const input = parseList(ProjectTransition, m.data, '项目操作')
  const current = await loadProject(trx, m.id)
  const check = checkProjectTransition(current.status, input.action, 'office', input)
  if (!check.ok) throw flowRefusal(check)
  if (input.photoIds) await requireReadablePhotos(trx, user, input.photoIds)

  const next: Project = { ...current, status: check.to, updatedAt: now }
  if (input.summary !== undefined) next.summary = input.summary
  if (input.photoIds !== undefined) next.photoIds = input.photoIds
  if (input.householdsServed !== undefined) next.householdsServed = input.householdsServed
  if (input.action === 'start') next.startedAt = now
  if (input.action === 'evaluate') {
    next.evaluation = input.evaluation!.trim()
    next.evaluatedAt = now
  }
  const served = input.action === 'complete' ? (await needsOfProject(trx, current.id)).map((d) => Need.parse(d)) : []
  if (input.action === 'complete') {
    next.doneAt = now
    // Unless the office says how many it served, the households of the needs it had.
    next.householdsServed ??= new Set(served.flatMap((n) => n.householdIds)).size
  }
  const version = await putProject(trx, parseList(Project, next, '项目'))
  await referPhotos(trx, next, next.photoIds, current.photoIds)
  const toMeet = new Set(metByCompletion(served).map((n) => n.id))
  await putChanged(trx, served, (n) => (toMeet.has(n.id) ? meetByProject(n, next, now) : n))
  return { status: 'applied', version }
}
