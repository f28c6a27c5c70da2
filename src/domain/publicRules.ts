import { chinaDay } from './coverage'
import { maskName } from './mask'
import { NEED_CATEGORIES } from './needCategories'
import type { Building } from './schemas/register'
import type { Campaign, VoteScope } from './schemas/campaign'
import type { Project, Resource } from './schemas/lists'
import type { LedgerEntry, Matter, MatterScope, MatterStep, Meeting } from './schemas/matter'
import { type Notice, noticeShownOn } from './schemas/notice'
import type { PublicCommunityResponse, PublicMatter, PublicMeeting, PublicNotice, PublicOffer, PublicProject, PublicVote } from './schemas/public'
import { ledgerTotals } from './matterLedger'
import { placeWords } from './placeWords'
import { say } from './language'
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
  /** Every resident's name on the register: found in the office's free text, shown masked. */
  residentNames?: readonly string[]
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

/** Residents' full names, to be found in free text: a name of one character says nothing. */
export class NameFinder {
  private readonly names: Set<string>
  private readonly longest: number
  constructor(names: Iterable<string>) {
    this.names = new Set([...names].map((n) => n.trim()).filter((n) => Array.from(n).length >= 2))
    this.longest = Math.max(0, ...[...this.names].map((n) => n.length))
  }
  /** Every name in `text`, the longest first where two start at one place (欧阳娜娜, not 欧阳). */
  find(text: string): Array<{ at: number; name: string }> {
    const found: Array<{ at: number; name: string }> = []
    for (let i = 0; i < text.length; i++)
      for (let len = Math.min(this.longest, text.length - i); len >= 2; len--) {
        const piece = text.slice(i, i + len)
        if (!this.names.has(piece)) continue
        found.push({ at: i, name: piece })
        i += len - 1
        break
      }
    return found
  }
}

/** Why a text written for the public page must not go there, or null: a mobile number, an ID
 *  number, or the full name of a resident of the register. A community's landline (0571-…) is
 *  its own and may be published. */
export function personalDataIn(text: string, names: Iterable<string> | NameFinder): string | null {
  const mobile = MOBILE.exec(text)
  if (mobile) return say(`有手机号码（${mobile[0].slice(0, 3)}…）：公开页面不登个人联系方式，可以写社区的办公电话`, `Has a mobile number (${mobile[0].slice(0, 3)}…): the public page carries no personal contact details; the community office phone may be given`)()
  if (ID_NUMBER.test(text)) return say('有身份证号码：公开页面不登个人信息', 'Has an ID number: the public page carries no personal details')()
  const [hit] = (names instanceof NameFinder ? names : new NameFinder(names)).find(text)
  return hit ? say(`有居民的姓名「${hit.name}」：公开页面不登居民姓名`, `Has the name of a resident, "${hit.name}": the public page carries no residents' names`)() : null
}

/** What the office wrote for itself (a matter's title, a project's summary, a meeting's place)
 *  as the public page may show it: a resident's name as 张*, no mobile or ID number at all. */
export function scrubPersonal(text: string, names: NameFinder): string {
  let out = text.replace(new RegExp(MOBILE.source, 'g'), '（号码不公开）').replace(new RegExp(ID_NUMBER.source, 'g'), '（证件号不公开）')
  const hits = names.find(out)
  for (const h of hits.reverse()) out = out.slice(0, h.at) + maskName(h.name) + out.slice(h.at + h.name.length)
  return out
}

/** Keys of the public answer that are codes, days or the register's place names, never free text. */
const NOT_FREE_TEXT = new Set(['compound', 'compounds', 'scope', 'category', 'stage', 'status', 'kind', 'rule', 'providerKind', 'to', 'day', 'fromDay', 'untilDay', 'startDay', 'endDay', 'closedDay', 'generatedAt', 'time', 'community'])

function scrubAll<T>(value: T, names: NameFinder, key = ''): T {
  if (typeof value === 'string') return (NOT_FREE_TEXT.has(key) ? value : scrubPersonal(value, names)) as T
  if (Array.isArray(value)) return value.map((v) => scrubAll(v, names, key)) as T
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubAll(v, names, k)])) as T
  return value
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
  const page: PublicCommunityResponse = {
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
  // Whatever the office typed, a resident's name or number goes out masked at the very least.
  return scrubAll(page, new NameFinder(src.residentNames ?? []))
}
