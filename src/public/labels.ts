import type { ProjectStatus, ResourceKind } from '../domain/schemas/lists'
import type { VoteRulePreset } from '../domain/voteRules'

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
    byHouseholds: '按户数',
    byArea: '按面积',
    tally: '应参与 {total}，参与 {participants}：同意 {agree}，反对 {oppose}，弃权 {abstain}，有条件同意 {conditional}',
    closed: '{day} 结束',
    privacy: '本页不含任何居民个人信息；户数少于 {n} 户的统计不公布。',
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
    byHouseholds: 'By households',
    byArea: 'By floor area',
    tally: '{total} eligible, {participants} took part: {agree} for, {oppose} against, {abstain} abstained, {conditional} for with conditions',
    closed: 'closed {day}',
    privacy: "This page holds no resident's personal data; counts of fewer than {n} households are not published.",
  },
} as const

export type LabelKey = keyof (typeof LABELS)['zh-CN']

export const STATUS_LABELS: Record<Lang, Record<ProjectStatus, string>> = {
  'zh-CN': { planning: '策划中', doing: '实施中', done: '已完成', evaluated: '已评价' },
  en: { planning: 'Planned', doing: 'Under way', done: 'Done', evaluated: 'Evaluated' },
}

export const KIND_LABELS: Record<Lang, Record<ResourceKind, string>> = {
  'zh-CN': { unit: '驻区单位', team: '服务团队', volunteer: '志愿者' },
  en: { unit: 'Local organisation', team: 'Service team', volunteer: 'Volunteer' },
}

export const RULE_LABELS: Record<Lang, Record<VoteRulePreset, string>> = {
  'zh-CN': { major: '重大事项（四分之三）', ordinary: '一般事项（过半数）', custom: '议事规则约定的比例' },
  en: { major: 'Major matter (three quarters)', ordinary: 'Ordinary matter (more than half)', custom: 'Thresholds set by the rules of procedure' },
}

export function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''))
}
