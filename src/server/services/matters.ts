import type { Transaction } from 'kysely'
import {
  applyMatterAction,
  chinaDay,
  checkMatterTransition,
  computeShares,
  FUNDING_RULE_ZH,
  LedgerEntry,
  ledgerTotals,
  Matter,
  MatterCreate,
  type MatterFacts,
  MatterPatch,
  MatterStep,
  MatterTransition,
  Meeting,
  newMatter,
  Project,
  uuidv7,
  voteScopeHolds,
  whyNotEditMatter,
  yuan,
} from '../../domain'
import { AppError, parseWith } from '../appError'
import { findListRow } from '../store/lists'
import { findMatterRow, insertLedgerEntries, insertMatter, insertMatterStep, ledgerOf, meetingCount, updateMatter } from '../store/matters'
import { getRecord } from '../store/records'
import type { Database } from '../store/schema'
import { referAttachments, requireReadablePhotos } from './attachments'
import type { SessionUser } from './auth'
import { assertMatterManager, consultationCampaign, liveCampaign, loadMatter, scopeView, scopeWords } from './matterScope'
import type { MutationHandler } from './mutationHandler'

// 议题: the office raises a matter for a place (its cells, from the register, decide who pulls
// it), edits it as its stage allows, and moves it 提 → 议 → 决 → 筹 → 办 → 评 (or closes or drops
// it) by the gates of matterFlow.ts, each move a step of its history. 分摊 writes each household's
// share into the ledger in the same transaction. Workers read; every write here is the office's.

type Trx = Transaction<Database>
const DAY = 86_400_000

/** What the device sent, compared with a resend under another mutation id. */
const sentAs = (m: Pick<Matter, 'title' | 'description' | 'scope' | 'origin' | 'raisedByName' | 'raisedAt' | 'createdBy'>) =>
  JSON.stringify([m.title, m.description, m.scope, m.origin, m.raisedByName, Date.parse(m.raisedAt), m.createdBy])

async function checkOrigin(trx: Trx, origin: MatterCreate['origin']): Promise<void> {
  if (origin.kind === 'need') {
    const n = await findListRow(trx, 'needs', origin.needId)
    if (!n || n.deleted) throw new AppError('NOT_FOUND', '找不到提出这个议题的需求')
  }
  if (origin.kind === 'case') {
    const c = await getRecord(trx, 'case', origin.caseId)
    if (!c || c.deleted) throw new AppError('NOT_FOUND', '找不到提出这个议题的问题上报')
  }
  if (origin.kind === 'campaign') {
    const c = await liveCampaign(trx, origin.campaignId)
    if (!c) throw new AppError('NOT_FOUND', '找不到提出这个议题的专项任务')
    if (origin.visitId) {
      const v = await getRecord(trx, 'visit', origin.visitId)
      if (!v || v.deleted) throw new AppError('NOT_FOUND', '找不到提出这个议题的走访记录')
      if ((v.data as { campaignId?: string }).campaignId !== c.id) throw new AppError('VALIDATION_FAILED', `这次走访不是专项任务「${c.title}」的走访`)
    }
  }
}

async function checkConsultations(trx: Trx, ids: readonly string[]): Promise<void> {
  for (const id of ids) await consultationCampaign(trx, id, '议事征询')
}

/** matter:create (office): 已提出, in the cells of its place, with its first step. */
export const createMatter: MutationHandler = async (trx, user, m, now) => {
  assertMatterManager(user)
  const input = parseWith(MatterCreate, m.data, '议题')
  if (input.id !== m.id) throw new AppError('VALIDATION_FAILED', '议题编号与提交编号不一致')
  const raisedAt = new Date(input.raisedAt).toISOString()
  const existing = await findMatterRow(trx, 'matters', input.id)
  if (existing) {
    // The same matter queued twice: it exists once, nothing is written again.
    if (!existing.deleted && sentAs(Matter.parse(existing.data)) === sentAs({ ...input, raisedAt, createdBy: user.id })) return { status: 'duplicate', version: existing.version }
    throw new AppError('ID_TAKEN', '这个议题的编号已被占用')
  }
  if (Date.parse(raisedAt) > Date.parse(now) + DAY) throw new AppError('VALIDATION_FAILED', '提出的时间在将来，请检查设备时间')
  await checkOrigin(trx, input.origin)
  await checkConsultations(trx, input.consultationCampaignIds)
  const view = await scopeView(trx, input.scope)
  if (view.households.length === 0) throw new AppError('VALIDATION_FAILED', `${scopeWords(input.scope, view.buildings)}没有登记的住户：请换一个范围`)

  const matter = parseWith(Matter, newMatter({ ...input, raisedAt }, view.gridIds, user.id, now), '议题')
  const version = await insertMatter(trx, matter)
  await insertMatterStep(trx, { id: uuidv7(), matterId: matter.id, action: 'raise', from: null, to: 'raised', actorId: user.id, actorName: user.name, at: raisedAt, note: '', photoIds: [] })
  return { status: 'applied', version }
}

/** matter:patch (office): what its stage allows (matterFlow.whyNotEditMatter). */
export const patchMatter: MutationHandler = async (trx, user, m, now) => {
  assertMatterManager(user)
  const patch = parseWith(MatterPatch, m.data, '议题的修改')
  const { matter } = await loadMatter(trx, m.id)
  const why = whyNotEditMatter(matter, patch)
  if (why) throw new AppError('INVALID_TRANSITION', why)
  if (patch.consultationCampaignIds) await checkConsultations(trx, patch.consultationCampaignIds.filter((id) => !matter.consultationCampaignIds.includes(id)))
  if (patch.satisfactionCampaignId) await consultationCampaign(trx, patch.satisfactionCampaignId, '满意度征询')
  if (patch.projectId) {
    const p = await findListRow(trx, 'projects', patch.projectId)
    if (!p || p.deleted) throw new AppError('NOT_FOUND', '找不到这个项目')
  }
  const before = new Set(matter.tasks.flatMap((t) => t.photoIds))
  const added = [...new Set((patch.tasks ?? []).flatMap((t) => t.photoIds))].filter((p) => !before.has(p))
  await requireReadablePhotos(trx, user, added)
  const version = await updateMatter(trx, parseWith(Matter, { ...matter, ...patch, updatedAt: now }, '议题'))
  // A matter's photos are the office's: no grid cell is named on their reference.
  await referAttachments(trx, added, 'matter', matter.id, null)
  return { status: 'applied', version }
}

/** What the gates of the move need to know, read from the records it names. */
async function factsFor(trx: Trx, matter: Matter, input: MatterTransition, now: string): Promise<MatterFacts> {
  const facts: MatterFacts = { now: Date.parse(now), meetings: await meetingCount(trx, matter.id) }
  const d = input.action === 'decide' ? input.decision : undefined
  if (d?.kind === 'vote') {
    const c = await liveCampaign(trx, d.campaignId)
    facts.voteCampaign = c
    if (c?.vote) facts.voteCovers = voteScopeHolds(c.vote.scope, matter.scope, (await scopeView(trx, matter.scope)).compoundOf)
  }
  if (d?.kind === 'resolution') {
    const row = await findMatterRow(trx, 'meetings', d.meetingId)
    facts.resolutionMeeting = row && !row.deleted ? Meeting.parse(row.data) : null
  }
  if (input.action === 'fund' || input.action === 'apportion') {
    const entries = (await ledgerOf(trx, matter.id)).map((e) => LedgerEntry.parse(e))
    facts.received = ledgerTotals(entries).income
    facts.sharesRecorded = entries.some((e) => e.kind === 'share')
  }
  if (input.action === 'complete' && matter.projectId) {
    const p = await findListRow(trx, 'projects', matter.projectId)
    facts.project = p && !p.deleted ? Project.parse(p.data) : null
  }
  if (input.action === 'judge' && matter.satisfactionCampaignId) facts.satisfaction = await liveCampaign(trx, matter.satisfactionCampaignId)
  return facts
}

/** 分摊: each household of the scope its share by the rule, as ledger entries; what to say of it. */
async function apportion(trx: Trx, user: SessionUser, matter: Matter, funding: NonNullable<MatterTransition['funding']>, now: string): Promise<{ households: number; words: string }> {
  const view = await scopeView(trx, matter.scope)
  const shares = computeShares(
    funding.rule,
    funding.amount,
    view.households.map((h) => ({ householdId: h.id, floor: h.floor, area: h.area ?? null, place: h.address })),
  )
  if (!shares.ok) throw new AppError('VALIDATION_FAILED', `没有分摊：${shares.message}`)
  const day = chinaDay(Date.parse(now))
  const entries: LedgerEntry[] = shares.shares
    .filter((s) => s.amount > 0)
    .map((s) => ({ id: uuidv7(), matterId: matter.id, kind: 'share', householdId: s.householdId, amount: s.amount, day, note: '', photoIds: [], recordedBy: user.id, recordedAt: now }))
  if (entries.length === 0) throw new AppError('VALIDATION_FAILED', '按这个规则没有一户要出钱：请调整比例表')
  await insertLedgerEntries(trx, entries.map((e) => LedgerEntry.parse(e)))
  return { households: entries.length, words: `${FUNDING_RULE_ZH[funding.rule.kind]}分摊 ${yuan(funding.amount)}，${entries.length} 户` }
}

/** matter:transition (office): a move of matterFlow.ts, written as a step; 分摊 writes the shares. */
export const transitionMatter: MutationHandler = async (trx, user, m, now) => {
  assertMatterManager(user)
  const input = parseWith(MatterTransition, m.data, '议题操作')
  const { matter, version: current } = await loadMatter(trx, m.id)
  const seen = await findMatterRow(trx, 'matter_steps', input.stepId)
  if (seen) {
    // The same move queued twice: the step exists once; the matter stands as it is.
    const step = MatterStep.parse(seen.data)
    if (step.matterId === matter.id && step.action === input.action && step.actorId === user.id && Date.parse(step.at) === Date.parse(input.at)) return { status: 'duplicate', version: current }
    throw new AppError('ID_TAKEN', '这一步的编号已被占用')
  }
  const check = checkMatterTransition(matter, input, true, await factsFor(trx, matter, input, now))
  if (!check.ok) throw new AppError(check.code, check.message)
  await requireReadablePhotos(trx, user, input.photoIds)

  let next = applyMatterAction(matter, check.to, input, now)
  let note = input.note
  if (input.action === 'apportion') {
    const done = await apportion(trx, user, matter, input.funding!, now)
    next = { ...next, funding: { ...input.funding!, households: done.households, apportionedAt: now } }
    note = [done.words, input.note].filter(Boolean).join('；').slice(0, 1000)
  }
  const version = await updateMatter(trx, parseWith(Matter, next, '议题'))
  await insertMatterStep(trx, { id: input.stepId, matterId: matter.id, action: input.action, from: matter.stage, to: check.to, actorId: user.id, actorName: user.name, at: input.at, note, photoIds: input.photoIds })
  await referAttachments(trx, input.photoIds, 'matterStep', input.stepId, null)
  return { status: 'applied', version }
}

