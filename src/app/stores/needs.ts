import { defineStore } from 'pinia'
import { computed, type Ref } from 'vue'
import { NeedCreate, type Need, type NeedAction, type NeedCategory, type NeedSource, type Project, type Resource, type ResourceCreate, type ResourcePatch, type Urgency } from '../../domain'
import { uuidv7 } from '../../domain/ids'
import { applyNeedAction, newProject, openNeed } from '../../domain/needFlow'
import { db } from '../db/instance'
import { useLiveQuery } from '../db/useLiveQuery'
import { createLocal, patchLocal, transitionRecordLocal } from '../sync/outbox'
import { refused } from './refusal'
import { useSessionStore } from './session'
import { useSyncStore } from './sync'
import { LocalError } from '../i18n/localError'

// 三张清单 on the device (docs/lists.md): needs (a worker's: their cells'), resources and projects
// (the community's). A need is recorded offline like a visit; the office's 对接 / 解决 and a
// project's steps are queued the same way and shown at once.

export interface NewNeed {
  householdId: string
  gridId: string
  category: NeedCategory
  description: string
  source: NeedSource
  urgency?: Urgency
}

export const useNeedsStore = defineStore('needs', () => {
  const session = useSessionStore()
  const sync = useSyncStore()
  const needs = useLiveQuery(() => db.needs.toArray(), [], undefined, { wholeTables: true })
  const resources = useLiveQuery(() => db.resources.toArray(), [], undefined, { wholeTables: true })
  const projects = useLiveQuery(() => db.projects.toArray(), [], undefined, { wholeTables: true })
  const resourceById = computed(() => new Map(resources.value.map((r) => [r.id, r])))
  const projectById = computed(() => new Map(projects.value.map((p) => [p.id, p])))

  /** Saves a need on the device and queues it (need:create). `matched`: an order, shown matched to
   *  its resource at once (the server's copy replaces this one at the next pull). */
  async function record(n: NewNeed, matched?: { resourceId: string }): Promise<Need> {
    const user = session.user
    if (!user) throw new LocalError('signIn')
    const now = new Date().toISOString()
    const sent = { id: uuidv7(), gridId: n.gridId, householdIds: [n.householdId], category: n.category, description: n.description.trim(), urgency: n.urgency ?? 'blue', source: n.source, raisedBy: user.id, raisedAt: now }
    // Checked as the server will check it: a refusal here keeps what was typed on the form.
    const checked = NeedCreate.safeParse(sent)
    if (!checked.success) throw refused(checked.error)
    const open = openNeed(sent, now)
    // An order is shown matched to its resource at once; the server's copy follows.
    const need: Need = matched ? { ...open, status: 'matched', resourceId: matched.resourceId, matchedAt: now } : open
    await createLocal(db, 'need', need)
    sync.saved()
    return need
  }

  /** 你点我来: a menu offer ordered at the door for a household. It is a need already matched to the
   *  offer's resource; the server checks the offer's capacity (NO_CAPACITY comes back in 待处理). */
  async function order(householdId: string, gridId: string, resource: Resource, offerId: string): Promise<Need> {
    const offer = resource.offers.find((o) => o.id === offerId)
    if (!offer) throw new LocalError('offerGone')
    const need = await record({ householdId, gridId, category: offer.category, description: offer.title, source: { kind: 'order', offerId, visitId: null } }, { resourceId: resource.id })
    return need
  }

  /** The office moves a need: 对接 to a resource, 已解决, 无法解决 (with why), or back to 待对接. */
  async function transition(id: string, action: NeedAction, opts: { resourceId?: string; note?: string } = {}): Promise<void> {
    const at = new Date().toISOString()
    const input = { note: opts.note ?? '', resourceId: opts.resourceId ?? null, dueAt: null }
    const current = needs.value.find((n) => n.id === id)
    if (!current) throw new LocalError('needMissing')
    // The same rule the server applies; its copy (with the due date it sets) follows at the next pull.
    await transitionRecordLocal(db, 'need', id, applyNeedAction(current, action, input, at), { action, note: input.note, resourceId: input.resourceId, at })
    sync.saved()
  }

  /** A project (策划) serving these needs with these resources; saved and queued (project:create). */
  async function createProject(p: Pick<Project, 'title' | 'category' | 'leadName' | 'description' | 'needIds' | 'resourceIds' | 'startDay' | 'endDay'>): Promise<Project> {
    const user = session.user
    if (!user) throw new LocalError('signIn')
    const now = new Date().toISOString()
    const sent = { id: uuidv7(), ...p }
    const project = newProject(sent, user.id, now)
    await createLocal(db, 'project', project, new Date(now), sent)
    sync.saved()
    return project
  }

  /** 开始实施 / 完成 (its needs become 已解决 on the server) / 评价. */
  async function moveProject(id: string, action: 'start' | 'complete' | 'evaluate', opts: { summary?: string; evaluation?: string } = {}): Promise<void> {
    const at = new Date().toISOString()
    const changes: Partial<Project> =
      action === 'start' ? { status: 'doing', startedAt: at } : action === 'complete' ? { status: 'done', doneAt: at, ...(opts.summary !== undefined ? { summary: opts.summary } : {}) } : { status: 'evaluated', evaluatedAt: at, evaluation: opts.evaluation ?? '' }
    await transitionRecordLocal(db, 'project', id, { ...changes, updatedAt: at }, { action, at, ...(opts.summary !== undefined ? { summary: opts.summary } : {}), ...(opts.evaluation !== undefined ? { evaluation: opts.evaluation } : {}) })
    sync.saved()
  }

  /** A resource for the 资源清单 (office): saved on the device and queued (resource:create). */
  async function createResource(input: ResourceCreate): Promise<Resource> {
    const user = session.user
    if (!user) throw new LocalError('signIn')
    const now = new Date().toISOString()
    const resource: Resource = { ...input, active: true, createdBy: user.id, createdAt: now, updatedAt: now }
    await createLocal(db, 'resource', resource, new Date(now), input as unknown as Record<string, unknown>)
    sync.saved()
    return resource
  }

  /** Changes a resource (office): its contact, offers, a volunteer's part, or `active` to retire
   *  it (needs and projects keep naming it; it takes no new match and leaves the menu). */
  async function patchResource(id: string, patch: ResourcePatch): Promise<void> {
    await patchLocal(db, 'resource', id, patch)
    sync.saved()
  }

  /** What a worker can order at the door: active resources' offers on the menu, by kind. */
  const menu = computed(() =>
    resources.value.filter((r) => r.active).flatMap((r) => r.offers.filter((o) => o.onMenu).map((o) => ({ resource: r, offer: o }))).sort((a, b) => a.offer.category.localeCompare(b.offer.category)),
  )

  return { needs, resources, projects, resourceById, projectById, menu, record, order, transition, createProject, moveProject, createResource, patchResource }
})

/** One household's needs, newest first, live. */
export function useHouseholdNeeds(householdId: Ref<string>) {
  const store = useNeedsStore()
  return computed(() => store.needs.filter((n) => n.householdIds.includes(householdId.value)).sort((a, b) => b.raisedAt.localeCompare(a.raisedAt)))
}

export type { Need, Project, Resource }
