import type { ProjectStatus, ResourceKind } from '../domain/schemas/lists'
import { NOTICE_CATEGORY_ZH } from '../domain/labels'
import type { MatterStage } from '../domain/schemas/matter'
import type { NoticeCategory } from '../domain/schemas/notice'

// The public page's words, in Chinese first and in English for a browser set to English. Kept
// here rather than in the app's i18n: this page loads nothing of the app (docs/public.md).

export type Lang = 'zh-CN' | 'en'

export const LABELS = {
  'zh-CN': {
    title: '社区公开栏',
    loading: '正在加载…',
    failed: '暂时打不开，请稍后再试',
    updated: '更新于 {time}',
    menu: '服务菜单（你点我来）',
    menuHint: '需要哪项服务，告诉您的网格员或到社区登记。',
    menuNone: '暂无',
    volunteer: '志愿者',
    projects: '民生项目',
    projectsNone: '暂无项目',
    served: '服务 {n} 户',
    since: '{day} 开始',
    until: '至 {day}',
    votes: '表决结果公示',
    votesNone: '暂无表决',
    passed: '通过',
    notPassed: '未通过',
    small: '户数较少，不公布票数',
    byHouseholds: '按户数：{line}',
    byArea: '按面积（㎡）：{line}',
    tally: '应参与 {total}，参与 {participants}：同意 {agree}，反对 {oppose}，弃权 {abstain}，有条件同意 {conditional}',
    closed: '{day} 结束',
    privacy: '本页不含任何居民个人信息；户数少于 {n} 户的统计不公布。',
    matters: '社区议事（民事民提、民议、民决、民筹、民办、民评）',
    mattersNone: '暂无议题',
    raisedBy: '{who}提出',
    meetings: '议事协商会 {n} 次',
    meetingLine: '{day} {time} · {place}',
    came: '到会：{who}',
    householdsCame: '居民 {n} 户',
    residents: '居民',
    decisionVote: '表决决定：{text}',
    decisionResolution: '会议决议：{text}',
    publicity: '公示 {start} 至 {end}',
    budget: '预算 {amount}',
    funding: '筹资：已到账 {income}（居民出资 {contributions}，补贴 {subsidies}，其他 {other}），支出 {expenses}，结余 {balance}',
    fundingHouseholds: '{n} 户分摊',
    tasks: '办理事项：{list}',
    task: '{title}（{state}）',
    listSep: '；',
    whoSep: '、',
    done: '已完成',
    notDone: '未完成',
    evaluation: '评议：{text}',
    satisfaction: '满意度入户征询：{n} 户回答',
    optionCount: '{label} {n} 户',
    itemLine: '{label}：{answers}',
    ended: '原因：{text}',
    notices: '社区公告',
    noticesNone: '暂无公告',
    noticeFrom: '{day} 发布',
    noticeUntil: '{from} 发布，至 {until}',
    wholeCommunity: '全社区',
    compoundOnly: '本页显示{compound}和全社区的事项',
    showAll: '看全社区',
    compounds: '各小区公开栏',
  },
  en: {
    title: 'Community notice board',
    loading: 'Loading…',
    failed: 'Cannot be opened right now; please try again later',
    updated: 'Updated {time}',
    menu: 'Service menu (you ask, we come)',
    menuHint: 'To ask for a service, tell your grid worker or the community office.',
    menuNone: 'Nothing yet',
    volunteer: 'Volunteer',
    projects: 'Community projects',
    projectsNone: 'No projects yet',
    served: '{n} households served',
    since: 'from {day}',
    until: 'to {day}',
    votes: 'Results of votes',
    votesNone: 'No votes yet',
    passed: 'Passed',
    notPassed: 'Not passed',
    small: 'Too few households to publish the count',
    byHouseholds: 'By households: {line}',
    byArea: 'By floor area (m²): {line}',
    tally: '{total} eligible, {participants} took part: {agree} for, {oppose} against, {abstain} abstained, {conditional} for with conditions',
    closed: 'closed {day}',
    privacy: "This page holds no resident's personal data; counts of fewer than {n} households are not published.",
    matters: 'Community matters (raised, discussed, decided, funded, done and judged by residents)',
    mattersNone: 'No matters yet',
    raisedBy: 'raised by {who}',
    meetings: '{n} consultation meetings',
    meetingLine: '{day} {time} · {place}',
    came: 'Present: {who}',
    householdsCame: '{n} households',
    residents: 'residents',
    decisionVote: 'Decided by vote: {text}',
    decisionResolution: 'Resolution of the meeting: {text}',
    publicity: 'Public notice {start} to {end}',
    budget: 'Budget {amount}',
    funding: 'Funds: {income} received ({contributions} from residents, {subsidies} subsidies, {other} other), {expenses} spent, {balance} left',
    fundingHouseholds: 'shared by {n} households',
    tasks: 'Work: {list}',
    task: '{title} ({state})',
    listSep: '; ',
    whoSep: ', ',
    done: 'done',
    notDone: 'to do',
    evaluation: 'Judged: {text}',
    satisfaction: 'Satisfaction asked door to door: {n} households answered',
    optionCount: '{label} {n}',
    itemLine: '{label}: {answers}',
    ended: 'Why: {text}',
    notices: 'Notices',
    noticesNone: 'No notices',
    noticeFrom: 'published {day}',
    noticeUntil: 'published {from}, until {until}',
    wholeCommunity: 'whole community',
    compoundOnly: 'This page shows what concerns {compound} and the whole community',
    showAll: 'See the whole community',
    compounds: 'Notice board of each compound',
  },
} as const

export type LabelKey = keyof (typeof LABELS)['zh-CN']

export const NOTICE_LABELS: Record<Lang, Record<NoticeCategory, string>> = {
  'zh-CN': NOTICE_CATEGORY_ZH,
  en: { party: 'Party affairs', affairs: 'Community affairs', finance: 'Finances', service: 'Services' },
}

export const STATUS_LABELS: Record<Lang, Record<ProjectStatus, string>> = {
  'zh-CN': { planning: '策划中', doing: '实施中', done: '已完成', evaluated: '已评价' },
  en: { planning: 'Planned', doing: 'Under way', done: 'Done', evaluated: 'Evaluated' },
}

export const KIND_LABELS: Record<Lang, Record<ResourceKind, string>> = {
  'zh-CN': { unit: '驻区单位', team: '服务团队', volunteer: '志愿者' },
  en: { unit: 'Local organisation', team: 'Service team', volunteer: 'Volunteer' },
}

export function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''))
}

/** 提 议 决 筹 办 评, and how a matter ended. */
export const STAGE_LABELS: Record<Lang, Record<MatterStage, string>> = {
  'zh-CN': { raised: '提 · 已提出', discussed: '议 · 协商中', decided: '决 · 已决定', funded: '筹 · 已筹资', done: '办 · 已办结', judged: '评 · 已评议', closed: '已关闭', dropped: '已放弃' },
  en: { raised: 'Raised', discussed: 'Under discussion', decided: 'Decided', funded: 'Funded', done: 'Done', judged: 'Judged', closed: 'Closed', dropped: 'Dropped' },
}

export const SIDE_LABELS: Record<Lang, Record<'owners_committee' | 'property' | 'unit' | 'party_branch' | 'other', string>> = {
  'zh-CN': { owners_committee: '业委会', property: '物业', unit: '驻区单位', party_branch: '党支部', other: '其他方' },
  en: { owners_committee: "owners' committee", property: 'property company', unit: 'local organisation', party_branch: 'party branch', other: 'others' },
}
