import { yuan } from '../domain/money'
import { NEED_CATEGORIES } from '../domain/needCategories'
import { VOTE_RULE_LABELS } from '../domain/voteRules'
import type { PublicCommunityResponse, PublicMatter, PublicNotice, PublicVote } from '../domain/schemas/public'
import { fill, KIND_LABELS, LABELS, type LabelKey, type Lang, NOTICE_LABELS, SIDE_LABELS, STAGE_LABELS, STATUS_LABELS } from './labels'
import './public.css'

// 公开: the community's public page (docs/public.md). No framework and no schema library: it must
// open fast on any phone from a QR code on a notice board. Everything is written with
// textContent, never as HTML: what the office typed is shown as text, whatever it holds.

const params = new URLSearchParams(location.search)
const lang: Lang = params.get('lang') === 'en' || (!params.has('lang') && navigator.language.startsWith('en')) ? 'en' : 'zh-CN'
/** A compound's notice board (its QR code, printed from the app): its own and the community's. */
const wanted = params.get('compound')
/** Which community of the street (docs/communities.md); none is the deployment's first. */
const community = params.get('community')
document.documentElement.lang = lang
const t = (key: LabelKey, vars: Record<string, string | number> = {}) => fill(LABELS[lang][key], vars)
const category = new Map(NEED_CATEGORIES.map((c) => [c.id, lang === 'en' ? c.en : c.zh]))

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  if (text !== undefined) node.textContent = text
  if (cls) node.className = cls
  return node
}

function section(title: string, testId: string, items: HTMLElement[], none: string): HTMLElement {
  const s = el('section')
  s.dataset.testid = testId
  s.append(el('h2', title))
  if (!items.length) s.append(el('p', none, 'muted'))
  else {
    const list = el('ul', undefined, 'items')
    list.append(...items)
    s.append(list)
  }
  return s
}

function measureLine(m: NonNullable<PublicVote['tally']>['households']): string {
  const n = (x: number) => Math.round(x * 100) / 100
  return t('tally', { total: n(m.total), participants: n(m.participants), agree: n(m.agree), oppose: n(m.oppose), abstain: n(m.abstain), conditional: n(m.conditional) })
}


function noticeItem(n: PublicNotice): HTMLElement {
  const li = el('li')
  li.dataset.testid = 'public-notice'
  li.append(el('strong', n.title), el('span', ` · ${NOTICE_LABELS[lang][n.category]}`, 'badge'))
  const days = n.untilDay ? t('noticeUntil', { from: n.fromDay, until: n.untilDay }) : t('noticeFrom', { day: n.fromDay })
  li.append(el('div', [n.compound ?? t('wholeCommunity'), days].join(' · '), 'small muted'))
  li.append(el('p', n.body, 'notice-body'))
  return li
}

/** Another address of this page, keeping the language asked for. */
function pageUrl(compound: string | null): string {
  const q = new URLSearchParams()
  if (community) q.set('community', community)
  if (compound) q.set('compound', compound)
  if (params.has('lang')) q.set('lang', params.get('lang')!)
  return `/public${q.size ? `?${q}` : ''}`
}

function link(text: string, href: string): HTMLAnchorElement {
  const a = el('a', text)
  a.href = href
  return a
}

function matterItem(m: PublicMatter): HTMLElement {
  const li = el('li')
  li.dataset.testid = 'public-matter'
  li.dataset.stage = m.stage
  li.append(el('strong', m.title), el('span', ` · ${STAGE_LABELS[lang][m.stage]}`, m.stage === 'closed' || m.stage === 'dropped' ? 'muted' : 'badge'))
  li.append(el('div', [m.scope, t('raisedBy', { who: m.raisedBy })].join(' · '), 'small muted'))
  if (m.description) li.append(el('p', m.description))
  if (m.steps.length) li.append(el('p', m.steps.map((s) => `${STAGE_LABELS[lang][s.to]} ${s.day}`).join(' → '), 'small steps'))
  if (m.meetings.length) {
    li.append(el('p', t('meetings', { n: m.meetings.length }), 'small'))
    const list = el('ul', undefined, 'small meetings')
    for (const x of m.meetings) {
      const who = [...(x.households !== null ? [t('householdsCame', { n: x.households })] : []), ...x.sides.map((s) => s.name ?? SIDE_LABELS[lang][s.kind])]
      list.append(el('li', [t('meetingLine', { day: x.day, time: x.time ?? '', place: x.place }), who.length ? t('came', { who: who.join(t('whoSep')) }) : ''].filter(Boolean).join(' · ')))
    }
    li.append(list)
  }
  if (m.decision) li.append(el('p', t(m.decision.kind === 'vote' ? 'decisionVote' : 'decisionResolution', { text: m.decision.text })))
  if (m.publicity) li.append(el('p', t('publicity', { start: m.publicity.startDay, end: m.publicity.endDay }), 'small muted'))
  if (m.budget !== null) li.append(el('p', t('budget', { amount: yuan(m.budget) }), 'small'))
  if (m.funding) {
    const f = m.funding
    const line = t('funding', { income: yuan(f.contributions + f.subsidies + f.otherIncome), contributions: yuan(f.contributions), subsidies: yuan(f.subsidies), other: yuan(f.otherIncome), expenses: yuan(f.expenses), balance: yuan(f.balance) })
    const p = el('p', f.households !== null ? `${line} · ${t('fundingHouseholds', { n: f.households })}` : line, 'small')
    p.dataset.testid = 'public-funding'
    li.append(p)
  }
  if (m.tasks.length) li.append(el('p', t('tasks', { list: m.tasks.map((x) => t('task', { title: x.title, state: x.done ? t('done') : t('notDone') })).join(t('listSep')) }), 'small'))
  if (m.evaluation) li.append(el('p', t('evaluation', { text: m.evaluation })))
  if (m.satisfaction) {
    const box = el('div', undefined, 'small')
    box.dataset.testid = 'public-satisfaction'
    box.append(el('p', t('satisfaction', { n: m.satisfaction.households })))
    for (const item of m.satisfaction.items) box.append(el('p', t('itemLine', { label: item.label, answers: item.options.map((o) => t('optionCount', { label: o.label, n: o.count })).join(t('listSep')) })))
    li.append(box)
  }
  if (m.endReason) li.append(el('p', t('ended', { text: m.endReason }), 'muted'))
  return li
}

function render(data: PublicCommunityResponse): void {
  const main = document.getElementById('public')!
  const compound = wanted && data.compounds.includes(wanted) ? wanted : null
  const here = (x: { compound: string | null }) => compound === null || x.compound === null || x.compound === compound
  document.title = `${compound ?? data.community} · ${t('title')}`
  const head = el('header')
  head.append(el('h1', compound ? `${data.community} · ${compound}` : data.community), el('p', t('title'), 'subtitle'), el('p', t('updated', { time: new Date(data.generatedAt).toLocaleString(lang) }), 'muted small'))
  if (compound) {
    const p = el('p', `${t('compoundOnly', { compound })} · `, 'small')
    p.append(link(t('showAll'), pageUrl(null)))
    head.append(p)
  }

  const menu = data.menu.map((o) => {
    const li = el('li')
    li.dataset.testid = 'public-offer'
    li.append(el('strong', o.title), el('span', ` · ${category.get(o.category) ?? ''}`, 'muted'))
    const by = o.provider ?? t('volunteer')
    li.append(el('div', [by, o.schedule].filter(Boolean).join(' · '), 'small'))
    li.title = KIND_LABELS[lang][o.providerKind]
    return li
  })
  const menuSection = section(t('menu'), 'public-menu', menu, t('menuNone'))
  menuSection.append(el('p', t('menuHint'), 'muted small'))

  const projects = data.projects.map((p) => {
    const li = el('li')
    li.dataset.testid = 'public-project'
    li.append(el('strong', p.title), el('span', ` · ${STATUS_LABELS[lang][p.status]}`, p.status === 'doing' ? 'badge' : 'muted'))
    const facts = [category.get(p.category) ?? '', t('since', { day: p.startDay }), p.endDay ? t('until', { day: p.endDay }) : '', p.householdsServed !== null ? t('served', { n: p.householdsServed }) : '']
    li.append(el('div', facts.filter(Boolean).join(' · '), 'small muted'))
    for (const text of [p.description, p.summary, p.evaluation]) if (text) li.append(el('p', text))
    return li
  })

  const votes = data.votes.filter(here).map((v) => {
    const li = el('li')
    li.dataset.testid = 'public-vote'
    li.append(el('strong', v.title), el('div', [v.scope, VOTE_RULE_LABELS[v.rule][lang], t('closed', { day: v.closedDay })].join(' · '), 'small muted'))
    if (!v.tally) li.append(el('p', t('small'), 'muted'))
    else {
      li.append(el('p', v.tally.passed ? t('passed') : t('notPassed'), v.tally.passed ? 'passed' : 'failed'))
      li.append(el('p', t('byHouseholds', { line: measureLine(v.tally.households) }), 'small'))
      if (v.tally.area) li.append(el('p', t('byArea', { line: measureLine(v.tally.area) }), 'small'))
    }
    return li
  })

  const others = data.compounds.filter((c) => c !== compound)
  const compounds = el('nav', undefined, 'small compounds')
  compounds.setAttribute('aria-label', t('compounds'))
  if (others.length > 0) {
    compounds.append(el('span', `${t('compounds')}：`))
    others.forEach((c, i) => compounds.append(...(i ? [el('span', t('whoSep'))] : []), link(c, pageUrl(c))))
  }

  main.replaceChildren(
    head,
    section(t('notices'), 'public-notices', data.notices.filter(here).map(noticeItem), t('noticesNone')),
    section(t('matters'), 'public-matters', data.matters.filter(here).map(matterItem), t('mattersNone')),
    section(t('votes'), 'public-votes', votes, t('votesNone')),
    section(t('projects'), 'public-projects', projects, t('projectsNone')),
    menuSection,
    compounds,
    el('footer', t('privacy', { n: data.minHouseholds }), 'muted small'),
  )
}

async function load(): Promise<void> {
  const main = document.getElementById('public')!
  main.replaceChildren(el('p', t('loading'), 'muted'))
  try {
    const res = await fetch(`/api/public/community${community ? `?${new URLSearchParams({ community })}` : ''}`, { credentials: 'omit' })
    if (!res.ok) throw new Error(String(res.status))
    render((await res.json()) as PublicCommunityResponse)
  } catch {
    main.replaceChildren(el('p', t('failed'), 'error'))
  }
}

void load()
