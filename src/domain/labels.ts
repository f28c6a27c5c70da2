import type { CATEGORIES, CaseAction, CaseKind, CaseState, Urgency } from './schemas/case'
import type { CampaignKind } from './schemas/campaign'
import type { NeedStatus, OfferPeriod, ProjectStatus, ServiceStatus, UnitType } from './schemas/lists'
import type { MatterAction, MatterStage } from './schemas/matter'
import type { NoticeCategory } from './schemas/notice'
import type { Building, Household, Resident } from './schemas/register'
import type { VisitOutcome } from './schemas/visit'
import type { Attention, Tag } from './tags'

// The Chinese words for codes, in one place: the app's zh-CN messages, the server's exports and
// refusal reasons, and the register import's reverse maps (registerImport.ts) read these (case
// states and actions are in caseFlow.ts).

export const OUTCOME_LABEL_ZH: Record<VisitOutcome, string> = { met: '见面', not_home: '不在家', refused: '拒访', phone: '电话' }

export const KIND_LABEL_ZH: Record<CaseKind, string> = { dispute: '矛盾纠纷', need: '民情诉求', hazard: '安全隐患' }

export const CATEGORY_LABEL_ZH: Record<(typeof CATEGORIES)[CaseKind][number], string> = {
  neighbor: '邻里纠纷',
  family: '家庭婚姻',
  property: '物业管理',
  labor: '劳资纠纷',
  housing_land: '房屋宅基地',
  demolition: '征地拆迁',
  medical: '医患纠纷',
  consumer: '消费纠纷',
  elderly_care: '养老服务',
  health: '医疗健康',
  employment: '就业',
  assistance: '救助帮扶',
  repair: '维修',
  sanitation: '环境卫生',
  parking: '停车',
  elevator: '加装电梯',
  legal: '法律咨询',
  counseling: '心理疏导',
  fire: '消防',
  gas: '燃气',
  electrical: '用电',
  structural: '房屋结构',
  public_order: '治安',
  other: '其他',
}

export const URGENCY_LABEL_ZH: Record<Urgency, string> = { red: '红', yellow: '黄', blue: '蓝' }

export const CARD_LABEL_ZH = { none: '', yellow: '黄牌督办', red: '红牌督办' } as const

export const EXPORT_NAME_ZH = { dashboard: '统计', visits: '走访', cases: '问题' } as const

export const CAMPAIGN_KIND_ZH: Record<CampaignKind, string> = {
  inspection: '入户排查',
  consultation: '意见征询',
  vote: '表决',
  outreach: '政策宣传',
  registerCheck: '信息核查',
}

export const UNIT_TYPE_ZH: Record<UnitType, string> = { hospital: '医疗卫生', school: '学校', company: '企业', government: '机关事业单位', social_org: '社会组织', other: '其他' }

export const OFFER_PERIOD_ZH: Record<OfferPeriod, string> = { week: '每周', month: '每月' }

/** 四务公开: the kinds of notice the office publishes. */
export const NOTICE_CATEGORY_ZH: Record<NoticeCategory, string> = { party: '党务公开', affairs: '政务公开', finance: '财务公开', service: '服务公开' }

// The register's words, as the 台账 sheets write them (the import reads them back, registerImport.ts).
export const HOUSING_LABEL_ZH: Record<Household['housing'], string> = { owner: '自住', rented: '出租', vacant: '空置' }

export const RESIDENCY_LABEL_ZH: Record<Household['residency'], string> = {
  consistent: '人户一致',
  present_unregistered: '人在户不在',
  registered_absent: '户在人不在',
}

export const BUILDING_KIND_LABEL_ZH: Record<Building['kind'], string> = { residential: '楼房', bungalow: '平房' }

export const SEX_LABEL_ZH: Record<Resident['sex'], string> = { M: '男', F: '女' }

export const RELATION_LABEL_ZH: Record<Resident['relation'], string> = {
  head: '户主',
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  grandchild: '孙辈',
  sibling: '兄弟姐妹',
  other: '其他',
}

export const POLITICAL_LABEL_ZH: Record<Resident['political'], string> = { party: '党员', league: '团员', masses: '群众' }

export const ATTENTION_LABEL_ZH: Record<Attention, string> = { normal: '一般', key: '重点', high: '高风险' }

export const TAG_LABEL_ZH: Record<Tag, string> = {
  dibao: '低保',
  tekun: '特困',
  disabled: '残疾',
  elderly_alone: '独居老人',
  empty_nest: '空巢老人',
  aged_80: '高龄',
  dementia_disabled: '失能失智',
  serious_illness: '大病',
  unemployed: '下岗失业',
  left_behind_child: '留守儿童',
  child_in_need: '困境儿童',
  veteran_family: '优抚对象',
  migrant: '流动人口',
  rental: '出租房',
  correction: '社区矫正',
  released: '刑满释放',
  mental_illness: '严重精神障碍',
  drug: '吸毒',
}

// The English words for the codes that the domain's messages name ("cannot 'Close' a case that is
// 'Reported'"): here, so the app's en messages and those messages use one word for a thing.

export const STATE_LABEL_EN: Record<CaseState, string> = {
  reported: 'Reported',
  accepted: 'Accepted',
  assigned: 'Assigned',
  in_progress: 'In progress',
  resolved: 'Resolved',
  verified: 'Verified',
  closed: 'Closed',
  returned: 'Returned',
  escalated: 'Escalated to street',
}

export const ACTION_LABEL_EN: Record<CaseAction, string> = {
  report: 'Report',
  accept: 'Accept',
  return: 'Return',
  resubmit: 'Resubmit',
  assign: 'Assign',
  start: 'Start',
  resolve: 'Resolve',
  escalate: 'Escalate to street',
  street_resolve: 'Resolved by the street',
  hand_back: 'Hand back to the community',
  verify: 'Verify by visit',
  reject_verification: 'Not fixed',
  close: 'Close',
}

export const NEED_STATUS_EN: Record<NeedStatus, string> = { open: 'Open', matched: 'Matched', met: 'Met', closed: 'Cannot be met' }

export const PROJECT_STATUS_EN: Record<ProjectStatus, string> = { planning: 'Planning', doing: 'Under way', done: 'Done', evaluated: 'Evaluated' }

export const SERVICE_STATUS_EN: Record<ServiceStatus, string> = { recorded: 'To confirm', confirmed: 'Confirmed', rejected: 'Not confirmed' }

export const MATTER_STAGE_EN: Record<MatterStage, string> = {
  raised: 'Raised',
  discussed: 'Under discussion',
  decided: 'Decided',
  funded: 'Funded',
  done: 'Done',
  judged: 'Judged',
  closed: 'Closed',
  dropped: 'Dropped',
}

export const MATTER_ACTION_EN: Record<MatterAction | 'raise', string> = {
  raise: 'Raised the matter',
  discuss: 'Start discussion',
  decide: 'Record the decision',
  fund: 'Confirm funds in',
  complete: 'Mark done',
  judge: 'Record the judgement',
  close: 'Close the matter',
  drop: 'Drop the matter',
  apportion: 'Share the costs',
}
