import { defineStore } from 'pinia'
import { computed, type Ref } from 'vue'
import type { z } from 'zod'
import {
  applyMatterAction,
  checkLedgerEntry,
  checkMatterTransition,
  chinaDay,
  computeShares,
  FUNDING_RULE_ZH,
  inMatterScope,
  isMatterOpen,
  ledgerTotals,
  LedgerEntryCreate,
  MATTER_STAGE_ZH,
  MatterCreate,
  MatterPatch,
  MatterTransition,
  MeetingCreate,
  MeetingPatch,
  meetingPlacesOf,
  newMatter,
  uuidv7,
  voteScopeHolds,
  whyNotEditMatter,
  yuan,
  type Campaign,
  type Household,
  type LedgerEntry,
  type Matter,
  type MatterFacts,
  type MatterStep,
  type Meeting,
  type SharesResult,
} from '../../domain'
import { DEFAULT_SETTINGS, SETTINGS_ID } from '../../domain/settingsDefaults'
import { scopeGridIds, scopeHouseholds, scopeWords } from '../components/matters/matterFormat'
import { db } from '../db/instance'
import { useLiveQuery } from '../db/useLiveQuery'
import { createLocal, patchLocal, transitionMatterLocal } from '../sync/outbox'
import { refused } from './refusal'
import { useSessionStore } from './session'
import { useSyncStore } from './sync'
import { LocalError } from '../i18n/localError'

// 议题 the 六民 way on the office's device (docs/matters.md): matters, their steps and meetings, and
// the funding ledger. Every change is checked here as the server will check it — the schema's
// messages first, then matterFlow's and matterLedger's own rules over what the device holds — so
// a refusal says why at once and queues nothing; an accepted change is saved on the device and
// queued (the server's copy replaces it at the next pull, its refusals come back in 待处理).
// Workers read the matters of their cells and their meetings; the ledger is never on their phones.

/** The schema's messages, each once, as one sentence to show. */
export type NewMatter = Omit<z.input<typeof MatterCreate>, 'id' | 'raisedAt'>
export type MatterMove = Omit<z.input<typeof MatterTransition>, 'stepId' | 'at'>
export type NewMeeting = Omit<z.input<typeof MeetingCreate>, 'id'>
export type NewLedgerEntry = z.input<typeof LedgerEntryCreate> extends infer T ? (T extends unknown ? Omit<T, 'id'> : never) : never

export const useMattersStore = defineStore('matters', () => {
  const session = useSessionStore()
  const sync = useSyncStore()
  const matters = useLiveQuery(() => db.matters.toArray(), [], undefined, { wholeTables: true })
  /** Every step, for the list's "last step" day; a matter's page reads its own by matterId. */
  const steps = useLiveQuery(() => db.matterSteps.toArray(), [], undefined, { wholeTables: true })
  const matterById = computed(() => new Map(matters.value.map((m) => [m.id, m])))
  // What a matter's page links to: campaigns (议 door to door, 决 by vote, 评), projects (办), units (议).
  const campaigns = useLiveQuery(() => db.campaigns.toArray(), [], undefined, { wholeTables: true })
  const projects = useLiveQuery(() => db.projects.toArray(), [], undefined, { wholeTables: true })
  const resources = useLiveQuery(() => db.resources.toArray(), [], undefined, { wholeTables: true })
  const isOffice = computed(() => session.user?.role === 'secretary' || session.user?.role === 'admin')

  /** The day of each matter's latest step (its raising until the server's steps arrive). */
  const lastStepAt = computed(() => {
    const out = new Map<string, string>()
    for (const m of matters.value) out.set(m.id, m.raisedAt)
    for (const s of steps.value) if ((out.get(s.matterId) ?? '') < s.at) out.set(s.matterId, s.at)
    return out
  })

  function officeUser() {
    const user = session.user
    if (!user) throw new LocalError('signIn')
    if (user.role !== 'secretary' && user.role !== 'admin') throw new LocalError('mattersOfficeOnly')
    return user
  }

  async function register() {
    const [households, buildings, grids] = await Promise.all([db.households.toArray(), db.buildings.toArray(), db.gridCells.toArray()])
    const buildingById = new Map(buildings.map((b) => [b.id, b]))
    return { households, buildingById, gridIds: grids.map((g) => g.id), compoundOf: (id: string) => buildingById.get(id)?.compound }
  }

  async function matterOf(id: string): Promise<Matter> {
    const m = await db.matters.get(id)
    if (!m) throw new LocalError('matterMissing')
    return m
  }

  /** A campaign as the server looks it up: a draft is not one anybody else may name. */
  async function liveCampaign(id: string): Promise<Campaign | null> {
    const c = await db.campaigns.get(id)
    return c && c.status !== 'draft' ? c : null
  }

  async function entriesOf(matterId: string): Promise<LedgerEntry[]> {
    return db.ledgerEntries.where('matterId').equals(matterId).toArray()
  }

  // ---- the matter ----

  /** 提: a matter raised by the office (matter:create), 已提出 on the device at once. */
  async function createMatter(input: NewMatter): Promise<Matter> {
    const user = officeUser()
    const now = new Date()
    const parsed = MatterCreate.safeParse({ ...input, id: uuidv7(now.getTime()), raisedAt: now.toISOString() })
    if (!parsed.success) throw refused(parsed.error)
    const sent = parsed.data
    const reg = await register()
    const inScope = scopeHouseholds(sent.scope, reg.households, reg.buildingById)
    if (inScope.length === 0) throw new LocalError('scopeEmpty', { scope: scopeWords(sent.scope, reg.buildingById, '全社区') })
    const matter = newMatter(sent, scopeGridIds(sent.scope, inScope, reg.buildingById, reg.gridIds), user.id, sent.raisedAt)
    await createLocal(db, 'matter', matter, now, { ...sent })
    sync.saved()
    return matter
  }

  /** Edits what the matter's stage allows (matter:patch): budget, project, tasks, campaigns … */
  async function patchMatter(id: string, patch: z.input<typeof MatterPatch>): Promise<void> {
    officeUser()
    const parsed = MatterPatch.safeParse(patch)
    if (!parsed.success) throw refused(parsed.error)
    const matter = await matterOf(id)
    const why = whyNotEditMatter(matter, parsed.data)
    if (why) throw new LocalError('notPossible', {}, why)
    const data = parsed.data
    if (data.consultationCampaignIds || data.satisfactionCampaignId) {
      for (const cid of [...(data.consultationCampaignIds ?? []).filter((x) => !matter.consultationCampaignIds.includes(x)), ...(data.satisfactionCampaignId ? [data.satisfactionCampaignId] : [])]) {
        const c = await liveCampaign(cid)
        if (!c) throw new LocalError('consultationMissing')
        if (c.kind !== 'consultation') throw new LocalError('notConsultation', { title: c.title })
      }
    }
    if (data.projectId && !(await db.projects.get(data.projectId))) throw new LocalError('projectMissing')
    await patchLocal(db, 'matter', id, { ...data })
    sync.saved()
  }

  /** What the gates of a move need, read from the device as the server reads its own records. */
  async function factsFor(m: Matter, input: MatterTransition): Promise<MatterFacts> {
    const facts: MatterFacts = { now: Date.now(), meetings: await db.meetings.where('matterId').equals(m.id).count() }
    const d = input.action === 'decide' ? input.decision : undefined
    if (d?.kind === 'vote') {
      const c = await liveCampaign(d.campaignId)
      facts.voteCampaign = c
      if (c?.vote) facts.voteCovers = voteScopeHolds(c.vote.scope, m.scope, (await register()).compoundOf)
    }
    if (d?.kind === 'resolution') facts.resolutionMeeting = (await db.meetings.get(d.meetingId)) ?? null
    if (input.action === 'fund' || input.action === 'apportion') {
      const entries = await entriesOf(m.id)
      facts.received = ledgerTotals(entries).income
      facts.sharesRecorded = entries.some((e) => e.kind === 'share')
    }
    if (input.action === 'complete' && m.projectId) facts.project = (await db.projects.get(m.projectId)) ?? null
    if (input.action === 'judge' && m.satisfactionCampaignId) facts.satisfaction = await liveCampaign(m.satisfactionCampaignId)
    return facts
  }

  /** 分摊 on the device: each household of the scope its share by the rule (what the server will
   *  write as the ledger's share entries). */
  async function previewShares(matterId: string, rule: NonNullable<MatterTransition['funding']>['rule'], amount: number): Promise<SharesResult> {
    const m = await matterOf(matterId)
    const reg = await register()
    const inScope = scopeHouseholds(m.scope, reg.households, reg.buildingById)
    return computeShares(rule, amount, inScope.map((h) => ({ householdId: h.id, floor: h.floor, area: h.area ?? null, place: h.address })))
  }

  /** 议 决 筹 办 评, 关闭 / 放弃, 分摊 (matter:transition): checked by matterFlow over the device's
   *  records, then the matter's new stage and its step shown at once. */
  async function moveMatter(id: string, move: MatterMove): Promise<MatterStep> {
    const user = officeUser()
    const at = new Date()
    const parsed = MatterTransition.safeParse({ ...move, stepId: uuidv7(at.getTime()), at: at.toISOString() })
    if (!parsed.success) throw refused(parsed.error)
    const input = parsed.data
    const m = await matterOf(id)
    const check = checkMatterTransition(m, input, true, await factsFor(m, input))
    if (!check.ok) throw new LocalError('notPossible', {}, check.message)
    let next = applyMatterAction(m, check.to, input, input.at)
    let note = input.note
    if (input.action === 'apportion') {
      const f = input.funding!
      const shares = await previewShares(id, f.rule, f.amount)
      if (!shares.ok) throw new LocalError('noShares', { why: shares.message })
      const households = shares.shares.filter((s) => s.amount > 0).length
      if (households === 0) throw new LocalError('noPayers')
      // The shares themselves are the server's entries (its ids); the matter says it is apportioned.
      next = { ...next, funding: { ...f, households, apportionedAt: input.at } }
      note = [`${FUNDING_RULE_ZH[f.rule.kind]}分摊 ${yuan(f.amount)}，${households} 户`, input.note].filter(Boolean).join('；').slice(0, 1000)
    }
    const step: MatterStep = { id: input.stepId, matterId: id, action: input.action, from: m.stage, to: check.to, actorId: user.id, actorName: user.name.slice(0, 30), at: input.at, note, photoIds: input.photoIds }
    await transitionMatterLocal(db, id, step, next, { ...input }, at)
    sync.saved()
    return step
  }

  // ---- meetings ----

  async function checkMeetingFields(f: Partial<Pick<Meeting, 'place' | 'parties'>>): Promise<void> {
    if (f.place !== undefined) {
      const places = meetingPlacesOf((await db.settings.get(SETTINGS_ID)) ?? DEFAULT_SETTINGS)
      if (!places.includes(f.place)) throw new LocalError('placeUnknown', { place: f.place, places: places.join('、') })
    }
    for (const p of f.parties ?? []) {
      if (p.kind === 'household' && !(await db.households.get(p.householdId))) throw new LocalError('attendeeHouseholdMissing')
      if (p.kind === 'unit') {
        const r = await db.resources.get(p.resourceId)
        if (!r) throw new LocalError('attendeeUnitMissing')
        if (r.kind !== 'unit') throw new LocalError('notUnit', { name: r.name })
      }
    }
  }

  function assertOpen(m: Matter): void {
    if (!isMatterOpen(m.stage)) throw new LocalError('matterClosed', { title: m.title, stage: MATTER_STAGE_ZH[m.stage] })
  }

  /** 议事协商会 (meeting:create): arranged or held, with who was invited and who came. */
  async function createMeeting(input: NewMeeting): Promise<Meeting> {
    const user = officeUser()
    const now = new Date()
    const parsed = MeetingCreate.safeParse({ ...input, id: uuidv7(now.getTime()) })
    if (!parsed.success) throw refused(parsed.error)
    const sent = parsed.data
    assertOpen(await matterOf(sent.matterId))
    await checkMeetingFields(sent)
    const meeting: Meeting = { ...sent, recordedBy: user.id, recordedAt: now.toISOString(), updatedAt: now.toISOString() }
    await createLocal(db, 'meeting', meeting, now, { ...sent })
    sync.saved()
    return meeting
  }

  /** Fills a meeting in afterwards (meeting:patch): who came, what each side said, the minutes. */
  async function patchMeeting(id: string, patch: z.input<typeof MeetingPatch>): Promise<void> {
    officeUser()
    const parsed = MeetingPatch.safeParse(patch)
    if (!parsed.success) throw refused(parsed.error)
    const meeting = await db.meetings.get(id)
    if (!meeting) throw new LocalError('meetingMissing')
    assertOpen(await matterOf(meeting.matterId))
    await checkMeetingFields(parsed.data)
    await patchLocal(db, 'meeting', id, { ...parsed.data })
    sync.saved()
  }

  // ---- the ledger (筹) ----

  /** One entry of the ledger (ledgerEntry:create): never edited afterwards — a mistake is put
   *  right by a correction. Refused here as the server would (a balance below zero, a receipt
   *  missing, a share twice). */
  async function addLedgerEntry(input: NewLedgerEntry): Promise<LedgerEntry> {
    const user = officeUser()
    const now = new Date()
    const parsed = LedgerEntryCreate.safeParse({ ...input, id: uuidv7(now.getTime()) })
    if (!parsed.success) throw refused(parsed.error)
    const sent = parsed.data
    const matter = await matterOf(sent.matterId)
    if (sent.day > chinaDay(now.getTime())) throw new LocalError('ledgerFuture', { day: sent.day })
    const entry = { ...sent, recordedBy: user.id, recordedAt: now.toISOString() } as LedgerEntry
    const entries = await entriesOf(matter.id)
    if (entry.kind === 'contribution' && !(await db.households.get(entry.householdId))) throw new LocalError('contributorMissing')
    if (entry.kind === 'share') {
      const h = await db.households.get(entry.householdId)
      if (!h) throw new LocalError('shareHouseholdMissing')
      const reg = await register()
      if (!inMatterScope(matter.scope, h, reg.compoundOf)) throw new LocalError('shareOutOfScope', { scope: scopeWords(matter.scope, reg.buildingById, '全社区') })
      const had = entries.find((e) => e.kind === 'share' && e.householdId === entry.householdId)
      if (had) throw new LocalError('shareExists', { amount: yuan(had.amount) })
    }
    const refusal = checkLedgerEntry(entries, entry)
    if (refusal) throw new LocalError('notPossible', {}, refusal.message)
    await createLocal(db, 'ledgerEntry', entry, now, { ...sent })
    sync.saved()
    return entry
  }

  return { matters, matterById, campaigns, projects, resources, lastStepAt, isOffice, createMatter, patchMatter, moveMatter, previewShares, createMeeting, patchMeeting, addLedgerEntry }
})

/** One matter with its steps (oldest first), meetings (by day) and, on the office's device, its
 *  ledger entries, live. `matter` is null once read and not on the device. */
export function useMatterDetail(id: Ref<string>) {
  const found = useLiveQuery(async () => (await db.matters.get(id.value)) ?? null, undefined as Matter | null | undefined, id)
  const steps = useLiveQuery(async () => (await db.matterSteps.where('matterId').equals(id.value).toArray()).sort((a, b) => a.at.localeCompare(b.at)), [] as MatterStep[], id)
  const meetings = useLiveQuery(
    async () => (await db.meetings.where('matterId').equals(id.value).toArray()).sort((a, b) => a.day.localeCompare(b.day) || (a.time ?? '').localeCompare(b.time ?? '') || a.recordedAt.localeCompare(b.recordedAt)),
    [] as Meeting[],
    id,
  )
  const session = useSessionStore()
  const office = computed(() => session.user?.role === 'secretary' || session.user?.role === 'admin')
  // The ledger is the office's: a worker's phone never holds an entry, and never asks.
  const entries = useLiveQuery(async () => (office.value ? await db.ledgerEntries.where('matterId').equals(id.value).toArray() : []), [] as LedgerEntry[], [id, office])
  return { matter: computed(() => found.value ?? null), missing: computed(() => found.value === null), steps, meetings, entries }
}

/** The matters a household is part of (its stairwell's, building's, compound's, the community's),
 *  newest first, live: a worker's phone holds those of its cells. */
export function useHouseholdMatters(household: Ref<Household | undefined>) {
  const matters = useLiveQuery(() => db.matters.toArray(), [] as Matter[], undefined, { wholeTables: true })
  const buildings = useLiveQuery(() => db.buildings.toArray(), [], undefined, { wholeTables: true })
  return computed(() => {
    const h = household.value
    if (!h) return []
    const byId = new Map(buildings.value.map((b) => [b.id, b]))
    return matters.value.filter((m) => inMatterScope(m.scope, h, (id) => byId.get(id)?.compound)).sort((a, b) => b.raisedAt.localeCompare(a.raisedAt))
  })
}

/** What a new matter is raised from (a need, a case, a campaign), read from the device. */
export function useMatterSources(ids: { need?: string; case?: string; campaign?: string }) {
  return {
    need: useLiveQuery(() => (ids.need ? db.needs.get(ids.need) : undefined), undefined),
    kase: useLiveQuery(() => (ids.case ? db.cases.get(ids.case) : undefined), undefined),
    campaign: useLiveQuery(() => (ids.campaign ? db.campaigns.get(ids.campaign) : undefined), undefined),
  }
}

export type { Matter, MatterStep, Meeting, LedgerEntry }
