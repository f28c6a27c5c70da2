// What the demo's cases (矛盾纠纷, 民情诉求, 安全隐患) say: short titles and descriptions per
// category, who usually handles them, and the notes written at each step. All made up.
import type { CaseKind, Team } from '../domain'

export type TeamKind = Team['kind']

/** The community's handling teams, in the order they are listed. */
export const TEAM_DEFS: readonly { name: string; kind: TeamKind }[] = [
  { name: '调解室', kind: 'mediation' },
  { name: '律师会客厅', kind: 'lawyer' },
  { name: '物业公司', kind: 'property' },
  { name: '业委会', kind: 'owners_committee' },
  { name: '志愿服务队', kind: 'volunteer' },
  { name: '街道', kind: 'street' },
  { name: '网格员', kind: 'grid' },
]

export interface CaseText {
  title: string
  /** `{where}` is replaced by the household's address or the place. */
  text: string
  /** Only for red or yellow cases. */
  severe?: boolean
  /** A hazard in a shared place (楼道, 院内): reported with a place, not a household. */
  shared?: boolean
  /** Where a shared-place hazard is: a 楼道 (the default) or outside the building. */
  at?: 'stairwell' | 'outside'
  /** Only for 平房 households. */
  bungalow?: boolean
  /** Teams that handle it, if not the category's. */
  teams?: readonly TeamKind[]
}

interface CategoryTexts {
  teams: readonly TeamKind[]
  items: readonly CaseText[]
}

export const CASE_TEXTS: Record<CaseKind, Record<string, CategoryTexts>> = {
  dispute: {
    property: {
      teams: ['property', 'property', 'owners_committee', 'mediation'],
      items: [
        { title: '业主拒交物业费', text: '{where}业主认为物业服务不到位，已两年未交物业费，物业公司多次催缴未果，双方矛盾较大。' },
        { title: '电梯频繁故障物业维修不及时', text: '{where}所在单元电梯近一个月停运三次，住户多次报修，物业迟迟不修，住户情绪较大。', teams: ['property', 'owners_committee'] },
        { title: '停车收费标准争议', text: '{where}业主对物业上调地面停车费有异议，认为未经业主大会同意。', teams: ['owners_committee', 'property'] },
        { title: '公共收益去向不明', text: '{where}业主反映小区广告位、停车位收益未公示，要求物业公开账目。', teams: ['owners_committee', 'street'] },
        { title: '楼顶防水维修费用分摊纠纷', text: '{where}顶层住户家中渗水，需动用维修资金修楼顶防水，部分业主不同意分摊。', teams: ['owners_committee', 'mediation'] },
        { title: '物业保洁不到位引发不满', text: '{where}住户反映楼道长期无人打扫，垃圾桶满溢，与物业保洁人员发生口角。' },
        { title: '暖气不热与物业产生纠纷', text: '{where}住户反映室内温度不足16度，要求退还部分取暖费，物业不同意。', severe: true },
      ],
    },
    neighbor: {
      teams: ['mediation', 'mediation', 'grid', 'property'],
      items: [
        { title: '楼上漏水影响楼下', text: '{where}住户反映楼上卫生间漏水，自家天花板已发霉脱落，多次沟通未果。' },
        { title: '邻居装修噪音扰民', text: '{where}住户反映邻居装修中午和晚上也在施工，影响老人休息，双方发生争吵。' },
        { title: '楼道堆放杂物引发争吵', text: '{where}住户与对门邻居因楼道堆放杂物、鞋柜占道发生争吵。', teams: ['grid', 'mediation'] },
        { title: '邻居养狗扰民', text: '{where}住户反映邻居家狗夜间吠叫，且在楼道便溺，沟通无果。' },
        { title: '空调外机噪音纠纷', text: '{where}住户反映邻居空调外机正对自家卧室窗户，噪音大、滴水。' },
        { title: '邻居私搭乱建遮挡采光', text: '{where}住户反映邻居在院内私自搭建棚子，遮挡自家采光。', teams: ['mediation', 'street'] },
        { title: '门前停车纠纷', text: '{where}住户因邻居长期把车停在自家门前与其发生争执，险些动手。', severe: true },
      ],
    },
    family: {
      teams: ['mediation', 'mediation', 'lawyer'],
      items: [
        { title: '子女赡养老人纠纷', text: '{where}老人反映几个子女在赡养费分担上互相推诿，老人生活困难。' },
        { title: '夫妻感情不和经常争吵', text: '{where}夫妻二人近期经常争吵，邻居反映有摔东西的声音，需要介入调解。', severe: true },
        { title: '兄弟姐妹房产分割纠纷', text: '{where}父母去世后兄妹几人对老房子如何分配意见不一，关系紧张。', teams: ['lawyer', 'mediation'] },
        { title: '子女长期不探望老人', text: '{where}老人独自居住，反映子女很少回家，情绪低落。', teams: ['mediation', 'volunteer'] },
        { title: '离婚后抚养费纠纷', text: '{where}居民反映前夫拖欠孩子抚养费半年，咨询如何处理。', teams: ['lawyer'] },
      ],
    },
    labor: {
      teams: ['lawyer', 'street'],
      items: [
        { title: '装修工人讨要工钱', text: '{where}业主与装修队因工程质量发生争议，拒付尾款，工人上门讨要。' },
        { title: '被拖欠工资', text: '{where}居民反映在附近工地打工被拖欠工资三个月，要求帮助讨薪。', severe: true },
        { title: '保洁员工资纠纷', text: '{where}居民在物业公司做保洁，反映加班费未发，与公司协商未果。' },
      ],
    },
    housing_land: {
      teams: ['lawyer', 'street', 'mediation'],
      items: [
        { title: '平房院墙边界争议', text: '{where}住户与邻居因院墙边界位置发生争议，双方各执一词。', bungalow: true },
        { title: '房屋产权证办理纠纷', text: '{where}住户买房多年仍未办下产权证，与原单位协商无果。' },
        { title: '老房翻建占用通道', text: '{where}邻居翻建房屋时占用了公共通道，影响通行。', bungalow: true },
      ],
    },
    demolition: {
      teams: ['street', 'lawyer'],
      items: [
        { title: '棚改补偿标准有异议', text: '{where}住户对棚户区改造补偿方案有异议，认为面积认定不准。', bungalow: true },
        { title: '安置房分配争议', text: '{where}住户对安置房楼层分配结果不满意，要求重新摇号。' },
      ],
    },
    medical: {
      teams: ['lawyer', 'street'],
      items: [
        { title: '对治疗结果有异议', text: '{where}居民家属认为老人在医院治疗不当，与医院协商不成。' },
        { title: '诊所收费争议', text: '{where}居民反映附近诊所收费不透明，多收了检查费。' },
      ],
    },
    consumer: {
      teams: ['lawyer', 'mediation'],
      items: [
        { title: '预付卡商家跑路', text: '{where}居民在小区门口理发店办的会员卡，店铺突然关门，余额无法退回。' },
        { title: '网购家电质量纠纷', text: '{where}居民网购的热水器安装后漏水，商家推诿不予退换。' },
        { title: '老人购买保健品上当', text: '{where}老人在"健康讲座"上花了几千元买保健品，家属要求退款。', severe: true },
      ],
    },
    other: {
      teams: ['mediation', 'street'],
      items: [
        { title: '广场舞噪音扰民', text: '{where}住户反映每晚小区广场跳舞音响声音太大，影响孩子学习。' },
        { title: '小区门口摊贩占道', text: '{where}住户反映小区门口流动摊贩占道经营，出入不便，与摊主发生口角。' },
      ],
    },
  },
  need: {
    elderly_care: {
      teams: ['volunteer', 'street'],
      items: [
        { title: '老人需要助餐服务', text: '{where}老人行动不便，做饭困难，希望社区提供助餐或送餐服务。' },
        { title: '申请居家养老上门服务', text: '{where}老人生活部分不能自理，子女在外地，希望申请居家养老上门服务。' },
        { title: '独居老人希望安装紧急呼叫器', text: '{where}独居老人担心夜间突发疾病无人知道，希望安装紧急呼叫设备。' },
        { title: '申请高龄津贴', text: '{where}老人满80周岁，家属咨询高龄津贴如何申请。', teams: ['street'] },
      ],
    },
    health: {
      teams: ['volunteer', 'street'],
      items: [
        { title: '希望家庭医生上门', text: '{where}老人卧床，去医院不便，希望签约家庭医生上门随访。' },
        { title: '咨询慢性病门诊办理', text: '{where}居民患有糖尿病，咨询慢性病门诊待遇如何办理。' },
        { title: '需要轮椅等辅具', text: '{where}家中有残疾人，现在的轮椅已损坏，希望申请辅具适配。' },
      ],
    },
    employment: {
      teams: ['street'],
      items: [
        { title: '希望帮忙找工作', text: '{where}居民原在机床厂上班，下岗后一直打零工，希望社区帮忙推荐工作。' },
        { title: '咨询公益性岗位', text: '{where}居民年龄偏大找工作难，咨询社区公益性岗位。' },
        { title: '失业人员技能培训报名', text: '{where}居民想参加免费的家政、电工技能培训。' },
      ],
    },
    assistance: {
      teams: ['street', 'volunteer'],
      items: [
        { title: '咨询低保申请条件', text: '{where}家庭收入低，家中有病人，咨询低保申请条件和材料。' },
        { title: '申请临时救助', text: '{where}户主突发疾病住院，医疗费用高，家庭生活困难，申请临时救助。', severe: true },
        { title: '困难家庭冬季取暖补助', text: '{where}困难家庭咨询冬季取暖补助的申请办法。' },
      ],
    },
    repair: {
      teams: ['property', 'property', 'grid'],
      items: [
        { title: '楼道灯不亮', text: '{where}所在单元楼道灯坏了半个月，老人晚上上下楼不安全。', teams: ['property', 'grid'] },
        { title: '下水道堵塞', text: '{where}所在单元下水道堵塞，一楼住户家中返水。', severe: true },
        { title: '屋顶漏雨需要维修', text: '{where}顶层住户反映下雨时屋顶漏雨，墙面发霉。' },
        { title: '单元门禁损坏', text: '{where}所在单元门禁损坏，门关不上。' },
      ],
    },
    sanitation: {
      teams: ['property', 'volunteer', 'grid'],
      items: [
        { title: '垃圾清运不及时', text: '{where}附近垃圾桶满溢，几天没有清运，气味很大。' },
        { title: '绿化带杂草丛生', text: '{where}楼前绿化带杂草丛生，夏天蚊虫多。' },
        { title: '楼道小广告清理', text: '{where}所在楼道贴满小广告，希望组织清理。', teams: ['volunteer', 'grid'] },
      ],
    },
    parking: {
      teams: ['property', 'owners_committee'],
      items: [
        { title: '小区停车难', text: '{where}住户反映下班回来没有车位，车辆乱停堵塞消防通道。' },
        { title: '僵尸车长期占用车位', text: '{where}楼下有辆车停了一年多没人开，占用车位。' },
        { title: '希望增设电动车充电桩', text: '{where}住户希望在小区增设电动车集中充电桩，避免楼道充电。' },
      ],
    },
    elevator: {
      teams: ['owners_committee', 'street'],
      items: [
        { title: '申请加装电梯', text: '{where}单元住户多为老人，上下楼困难，希望加装电梯，咨询办理流程。' },
        { title: '加装电梯意见不统一', text: '{where}单元多数住户同意加装电梯，一楼住户担心采光和噪音不同意，希望社区协调。', teams: ['owners_committee', 'mediation'] },
      ],
    },
    legal: {
      teams: ['lawyer'],
      items: [
        { title: '咨询遗产继承问题', text: '{where}居民父亲去世，咨询房产继承需要办理哪些手续。' },
        { title: '咨询租房合同纠纷', text: '{where}租户反映房东不退押金，咨询如何维权。' },
        { title: '咨询劳动合同问题', text: '{where}居民咨询单位不签劳动合同、不交社保怎么办。' },
      ],
    },
    counseling: {
      teams: ['volunteer', 'mediation'],
      items: [
        { title: '老人丧偶后情绪低落', text: '{where}老人老伴去世后很少出门，情绪低落，家属希望社区多关心。' },
        { title: '孩子厌学需要心理疏导', text: '{where}家长反映孩子最近不愿上学，在家玩手机，希望有人疏导。' },
        { title: '失业后情绪低落', text: '{where}居民失业后在家闷闷不乐，家属担心其心理状况。' },
      ],
    },
    other: {
      teams: ['street', 'volunteer'],
      items: [
        { title: '孩子入学咨询', text: '{where}居民咨询孩子就近入学需要准备的材料。' },
        { title: '希望组织老年文娱活动', text: '{where}老人希望社区多组织些书法、合唱等活动。', teams: ['volunteer'] },
      ],
    },
  },
  hazard: {
    fire: {
      teams: ['property', 'grid'],
      items: [
        { title: '楼道电动车充电', text: '{where}有居民把电动车推进楼道充电，飞线从窗户拉下来，存在火灾隐患。', shared: true },
        { title: '楼道堆放杂物堵塞通道', text: '{where}堆满纸箱、旧家具，堵塞疏散通道。', shared: true },
        { title: '消防通道被占用', text: '{where}消防通道长期停放私家车，消防车无法通行。', shared: true, severe: true, at: 'outside' },
        { title: '楼道灭火器过期', text: '{where}灭火器压力表指针在红区，已过期。', shared: true },
        { title: '室内堆放大量废品', text: '{where}住户在家中堆放大量收来的废品，存在火灾隐患。' },
      ],
    },
    gas: {
      teams: ['property', 'street'],
      items: [
        { title: '燃气软管老化', text: '{where}住户家中燃气软管老化开裂，已提醒关闭阀门。', severe: true },
        { title: '疑似燃气泄漏', text: '{where}闻到明显燃气味，已通知住户开窗通风并关闭总阀。', shared: true, severe: true },
        { title: '使用不合格燃气灶具', text: '{where}住户使用无熄火保护的旧灶具，建议更换。' },
      ],
    },
    electrical: {
      teams: ['property', 'grid'],
      items: [
        { title: '私拉电线给电动车充电', text: '{where}有电动车充电的电线从楼上窗户私拉下来，线头垂在地上。', shared: true, at: 'outside' },
        { title: '室内电线老化', text: '{where}住户家中电线老化，插座发黑，存在触电和火灾隐患。' },
        { title: '电表箱门损坏', text: '{where}电表箱门损坏，线路裸露，小孩容易碰到。', shared: true },
      ],
    },
    structural: {
      teams: ['street', 'property'],
      items: [
        { title: '外墙瓷砖脱落', text: '{where}外墙瓷砖有脱落，下方是人行通道，存在砸伤风险。', shared: true, severe: true, at: 'outside' },
        { title: '平房屋顶开裂', text: '{where}平房屋顶有裂缝，雨季存在坍塌风险。', severe: true, bungalow: true },
        { title: '阳台护栏松动', text: '{where}阳台护栏松动，家中有小孩，存在坠落风险。' },
      ],
    },
    public_order: {
      teams: ['street', 'grid'],
      items: [
        { title: '单元门禁损坏外人随意进出', text: '{where}单元门禁坏了，陌生人随意进出，住户担心安全。', shared: true },
        { title: '夜间有人聚集喧哗', text: '{where}晚上常有几个年轻人聚集喝酒喧哗，住户害怕。', shared: true, at: 'outside' },
        { title: '疑似群租房', text: '{where}住户反映该户住了十几个人，进出频繁，疑似群租。' },
      ],
    },
    other: {
      teams: ['property'],
      items: [
        { title: '井盖缺失', text: '{where}有一处井盖缺失，晚上看不清容易踩空。', shared: true, severe: true, at: 'outside' },
        { title: '树枝断裂悬挂', text: '{where}大树枝断裂悬挂在半空，下方有人经过。', shared: true, at: 'outside' },
      ],
    },
  },
}

/** Weights of dispute categories (domain.md: property ≈ 4 in 10, neighbour 3 in 10, family next). */
export const DISPUTE_WEIGHTS: readonly (readonly [string, number])[] = [
  ['property', 40],
  ['neighbor', 30],
  ['family', 12],
  ['labor', 4],
  ['housing_land', 4],
  ['consumer', 4],
  ['demolition', 2],
  ['medical', 2],
  ['other', 2],
]

export const NEED_WEIGHTS: readonly (readonly [string, number])[] = [
  ['elderly_care', 20],
  ['repair', 18],
  ['health', 10],
  ['assistance', 10],
  ['parking', 8],
  ['sanitation', 8],
  ['elevator', 7],
  ['employment', 6],
  ['legal', 6],
  ['counseling', 4],
  ['other', 3],
]

export const HAZARD_WEIGHTS: readonly (readonly [string, number])[] = [
  ['fire', 38],
  ['electrical', 20],
  ['gas', 16],
  ['public_order', 12],
  ['structural', 8],
  ['other', 6],
]

/** Notes per step. */
export const STEP_NOTES = {
  accept: ['', '', '已受理', '已受理，尽快安排'],
  assign: ['', '请尽快联系当事人处理', '请按期办结并反馈', '情况较急，请优先处理'],
  start: ['', '已联系当事人', '已到现场了解情况', '已约当事人面谈'],
  return: [
    '情况描述不清，请补充当事人信息和具体位置',
    '缺少现场情况说明，请补充后重新上报',
    '当事人信息有误，请核实后重新上报',
  ],
  returnFinal: ['不属于社区受理范围，已引导居民向相关部门反映', '与已上报的问题重复，请核实'],
  resubmit: ['已补充当事人信息', '已补充现场情况', '已核实，重新上报'],
  escalate: [
    '涉及多个部门，社区无法独立解决，上报街道协调',
    '当事人情绪激动，调解未果，请街道综治中心介入',
    '需要街道协调相关单位处理',
  ],
  rejectVerification: ['回访发现问题仍未解决，居民不满意', '回访时问题又出现了，请继续处理', '居民对处理结果有异议'],
  verify: [
    '回访当事人，对处理结果满意',
    '上门回访，问题已解决，居民满意',
    '电话回访，居民表示问题已解决',
    '现场查看，已整改到位',
  ],
  close: ['', '', '结案', '处理完毕，结案'],
} as const

export const RESOLVE_NOTES: Record<CaseKind, readonly string[]> = {
  dispute: [
    '经调解双方达成一致，签订了调解协议',
    '双方互相谅解，握手言和',
    '经律师讲解法律规定，当事人接受处理意见',
    '协商一致，已按约定履行',
  ],
  need: ['已对接相关资源，需求已满足', '已帮助办理相关手续', '已安排人员上门服务', '已答复居民并协助办理'],
  hazard: ['隐患已整改，现场复查无问题', '已督促当事人整改完毕', '已清理完毕，通道畅通', '已更换老化设施'],
}

/** 点评: what the secretary writes on a visit log. */
export const COMMENTS: readonly string[] = [
  '走访记录很详细，继续保持',
  '请跟进老人用药情况',
  '这户情况特殊，下次走访请多了解家庭收入',
  '记录得很好，诉求请及时上报',
  '请下周再去一次，确认问题是否解决',
  '注意提醒家属冬季取暖安全',
  '辛苦了，居民反映很好',
  '备注太简单，请写清楚见到了谁、谈了什么',
  '请核实一下联系电话',
  '已了解，社区会协调解决',
  '这个诉求请按问题上报流程走',
  '请关注孩子上学情况',
]
