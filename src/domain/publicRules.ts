import { chinaDay } from './coverage'
import { NEED_CATEGORIES } from './needCategories'
import type { Building } from './schemas/register'
import type { Campaign, VoteScope } from './schemas/campaign'
import type { Project, Resource } from './schemas/lists'
import type { LedgerEntry, Matter, MatterScope, MatterStep, Meeting } from './schemas/matter'
import { type Notice, noticeShownOn } from './schemas/notice'
import type { PublicCommunityResponse, PublicMatter, PublicMeeting, PublicNotice, PublicOffer, PublicProject, PublicVote } from './schemas/public'
import { ledgerTotals } from './matterLedger'
import { placeWords } from './placeWords'
import type { VoteTally } from './voteRules'

// 公开: the public page built from the records (docs/public.md). Every field is copied by name,
// never spread from a record: a field added to a record later must not reach the internet by
// itself. Counts of scopes smaller than `minHouseholds` are left out (null).

export interface PublicSources {
  community: string
  minHouseholds: number
  now: Date
  resources: readonly Resource[]
  projects: readonly Project[]
  campaigns: readonly Campaign[]
  buildings: ReadonlyArray<Pick<Building, 'id' | 'compound' | 'number'>>
  matters?: readonly Matter[]
  matterSteps?: readonly MatterStep[]
  meetings?: readonly Meeting[]
  ledgerEntries?: readonly LedgerEntry[]
  notices?: readonly Notice[]
}

const CATEGORY_ORDER = new Map(NEED_CATEGORIES.map((c, i) => [c.id, i]))

/** The service menu: active resources' offers marked for it, by category then title. */
export function publicMenu(resources: readonly Resource[]): PublicOffer[] {
  return resources
    .filter((r) => r.active)
    .flatMap((r) =>
      r.offers
        .filter((o) => o.onMenu)
        .map((o): PublicOffer => ({ category: o.category, title: o.title, schedule: o.schedule, providerKind: r.kind, provider: r.kind === 'volunteer' ? null : r.name })),
    )
    .sort((a, b) => CATEGORY_ORDER.get(a.category)! - CATEGORY_ORDER.get(b.category)! || a.title.localeCompare(b.title, 'zh-CN'))
}

const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/
const ID_NUMBER = /(?<![\dXx])\d{17}[\dXx](?![\dXx])/

/** Why a text written for the public page must not go there, or null: a mobile number, an ID
 *  number, or the full name of a resident of the register (`names`; a name of one character says
 *  nothing). A community's landline (0571-…) is its own and may be published. */
export function personalDataIn(text: string, names: Iterable<string>): string | null {
  const mobile = MOBILE.exec(text)
  if (mobile) return `有手机号码（${mobile[0].slice(0, 3)}…）：公开页面不登个人联系方式，可以写社区的办公电话`
  if (ID_NUMBER.test(text)) return '有身份证号码：公开页面不登个人信息'
  for (const name of names) if (name.length >= 2 && text.includes(name)) return `有居民的姓名「${name}」：公开页面不登居民姓名`
  return null
}

/** A count shown only when it covers enough households that nobody stands out. */
export function shownCount(n: number | null, minHouseholds: number): number | null {
  return n !== null && n >= minHouseholds ? n : null
}

/** Projects under way first, then the finished ones, the latest first. */
export function publicProjects(projects: readonly Project[], minHouseholds: number): PublicProject[] {
  const rank = { doing: 0, planning: 1, done: 2, evaluated: 2 } as const
  return [...projects]
    .sort((a, b) => rank[a.status] - rank[b.status] || b.startDay.localeCompare(a.startDay))
    .map((p) => ({
      title: p.title,
      category: p.category,
      status: p.status,
      description: p.description,
      startDay: p.startDay,
      endDay: p.endDay,
      householdsServed: shownCount(p.householdsServed, minHouseholds),
      summary: p.summary,
      evaluation: p.evaluation,
    }))
}

/** The compound a place is in (null: the whole community, or a building no longer listed). */
export function compoundOf(scope: VoteScope | MatterScope, buildings: PublicSources['buildings']): string | null {
  if (scope.kind === 'community') return null
  if (scope.kind === 'compound') return scope.compound
  return buildings.find((b) => b.id === scope.buildingId)?.compound ?? null
}

/** Notices shown today (China time), the latest first; copied field by field. */
export function publicNotices(notices: readonly Notice[], now: Date): PublicNotice[] {
  const today = chinaDay(now.getTime())
  return notices
    .filter((n) => noticeShownOn(n, today))
    .sort((a, b) => b.fromDay.localeCompare(a.fromDay) || b.createdAt.localeCompare(a.createdAt))
    .map((n) => ({ title: n.title, body: n.body, category: n.category, compound: n.compound, fromDay: n.fromDay, untilDay: n.untilDay }))
}

/** A vote's scope as the notice board says it (placeWords.ts). */
export function scopeLabel(scope: VoteScope, buildings: PublicSources['buildings']): string {
  return placeWords(scope, (id) => buildings.find((x) => x.id === id))
}

function measure(m: VoteTally['households']) {
  return { total: m.total, participants: m.participants, agree: m.agree, oppose: m.oppose, abstain: m.abstain, conditional: m.conditional }
}

/** Closed votes with their frozen result, the latest first; a scope too small keeps its result
 *  to itself (the title and whether there was a vote are still said). */
export function publicVotes(campaigns: readonly Campaign[], buildings: PublicSources['buildings'], minHouseholds: number): PublicVote[] {
  return campaigns
    .filter((c) => c.kind === 'vote' && c.status === 'closed' && c.vote && c.closedAt)
    .sort((a, b) => b.closedAt!.localeCompare(a.closedAt!))
    .map((c) => {
      const tally = c.results?.vote?.tally ?? null
      const shown = tally !== null && shownCount(tally.households.total, minHouseholds) !== null
      return {
        title: c.title,
        scope: scopeLabel(c.vote!.scope, buildings),
        compound: compoundOf(c.vote!.scope, buildings),
        rule: c.vote!.rule.preset,
        closedDay: chinaDay(Date.parse(c.closedAt!)),
        tally: shown
          ? { passed: tally.passed, households: measure(tally.households), area: tally.areaMissing === 0 ? measure(tally.area) : null }
          : null,
      }
    })
}

/** A matter's place in words; the whole community is 全社区. */
export function matterScopeLabel(scope: MatterScope, buildings: PublicSources['buildings']): string {
  return placeWords(scope, (id) => buildings.find((x) => x.id === id))
}

function publicMeeting(m: Meeting, resources: readonly Resource[], minHouseholds: number): PublicMeeting {
  const came = m.parties.filter((p) => p.present)
  return {
    day: m.day,
    time: m.time,
    place: m.place,
    sides: came.flatMap((p) => (p.kind === 'household' ? [] : [{ kind: p.kind, name: p.kind === 'unit' ? (resources.find((r) => r.id === p.resourceId && r.kind === 'unit')?.name ?? null) : null }])),
    households: shownCount(came.filter((p) => p.kind === 'household').length, minHouseholds),
  }
}

/** Totals of the ledger, never a household's line. Left out when fewer households than the
 *  smallest count paid or owe: the totals would tell what one household gave. */
function publicFunding(entries: readonly LedgerEntry[], minHouseholds: number): PublicMatter['funding'] {
  if (!entries.length) return null
  const households = new Set(entries.flatMap((e) => (e.kind === 'share' || e.kind === 'contribution' ? [e.householdId] : []))).size
  if (households > 0 && households < minHouseholds) return null
  const t = ledgerTotals(entries)
  return {
    shares: t.totals.share,
    contributions: t.totals.contribution,
    subsidies: t.totals.subsidy,
    otherIncome: t.totals.other_income,
    expenses: t.totals.expense,
    balance: t.balance,
    households: households > 0 ? households : null,
  }
}

/** A closed 满意度征询's frozen results, counts only: choice, yes/no and stance questions (free
 *  text and numbers may single out who answered); nothing below the smallest count. */
export function publicSatisfaction(c: Campaign | undefined, minHouseholds: number): PublicMatter['satisfaction'] {
  const r = c?.status === 'closed' ? c.results : null
  if (!r || shownCount(r.answeredHouseholds, minHouseholds) === null) return null
  return {
    households: r.answeredHouseholds,
    items: r.items.filter((i) => i.kind === 'yesno' || i.kind === 'choice' || i.kind === 'stance').map((i) => ({ label: i.label, options: i.options.map((o) => ({ label: o.label, count: o.count })) })),
  }
}

/** Matters, the open ones first (the furthest along first), then the ended, the latest first. */
export function publicMatters(src: PublicSources): PublicMatter[] {
  const order = ['done', 'funded', 'decided', 'discussed', 'raised', 'judged', 'closed', 'dropped'] as const
  const byMatter = <T extends { matterId: string }>(list: readonly T[] | undefined, id: string) => (list ?? []).filter((x) => x.matterId === id)
  return [...(src.matters ?? [])]
    .sort((a, b) => order.indexOf(a.stage) - order.indexOf(b.stage) || b.updatedAt.localeCompare(a.updatedAt))
    .map((m) => {
      const decision = m.decision
      return {
        title: m.title,
        description: m.description,
        scope: matterScopeLabel(m.scope, src.buildings),
        compound: compoundOf(m.scope, src.buildings),
        raisedBy: m.raisedByName,
        stage: m.stage,
        steps: byMatter(src.matterSteps, m.id)
          .filter((s) => s.action !== 'apportion')
          .sort((a, b) => a.at.localeCompare(b.at))
          .map((s) => ({ to: s.to, day: chinaDay(Date.parse(s.at)) })),
        meetings: byMatter(src.meetings, m.id)
          .sort((a, b) => a.day.localeCompare(b.day))
          .map((x) => publicMeeting(x, src.resources, src.minHouseholds)),
        decision: decision
          ? decision.kind === 'vote'
            ? { kind: 'vote' as const, text: src.campaigns.find((c) => c.id === decision.campaignId)?.title ?? '' }
            : { kind: 'resolution' as const, text: decision.text }
          : null,
        publicity: m.publicity ? { startDay: m.publicity.startDay, endDay: m.publicity.endDay } : null,
        budget: m.budget,
        funding: publicFunding(byMatter(src.ledgerEntries, m.id), src.minHouseholds),
        tasks: m.tasks.map((t) => ({ title: t.title, done: t.done })),
        evaluation: m.evaluation,
        satisfaction: m.satisfactionCampaignId ? publicSatisfaction(src.campaigns.find((c) => c.id === m.satisfactionCampaignId), src.minHouseholds) : null,
        endReason: m.endReason,
      }
    })
}

export function publicCommunity(src: PublicSources): PublicCommunityResponse {
  return {
    community: src.community,
    generatedAt: src.now.toISOString(),
    minHouseholds: src.minHouseholds,
    compounds: [...new Set(src.buildings.map((b) => b.compound))].sort((a, b) => a.localeCompare(b, 'zh-CN')),
    notices: publicNotices(src.notices ?? [], src.now),
    menu: publicMenu(src.resources),
    projects: publicProjects(src.projects, src.minHouseholds),
    votes: publicVotes(src.campaigns, src.buildings, src.minHouseholds),
    matters: publicMatters(src),
  }
}
