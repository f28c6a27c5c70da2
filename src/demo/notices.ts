import { type Building, chinaDay, type Notice, uuidv7 } from '../domain'

// 公告 of the demo community (docs/public.md): one of each kind of 四务公开, for the whole
// community or a compound, one whose days are over and one withdrawn (both off the public page,
// still listed for the office). Written as an office writes them: no resident is named.

export interface NoticeOptions {
  idBytes: (n: number) => Uint8Array
  now: number
  buildings: readonly Building[]
  secretaryId: string
}

const DAY = 86_400_000

export function makeNotices(o: NoticeOptions): Notice[] {
  const compounds = [...new Set(o.buildings.filter((b) => b.kind === 'residential').map((b) => b.compound))]
  const first = compounds[0] ?? null
  const second = compounds[1] ?? first
  const day = (offset: number) => chinaDay(o.now + offset * DAY)
  const notice = (ageDays: number, n: Pick<Notice, 'title' | 'body' | 'category' | 'compound' | 'untilDay'> & { withdrawn?: boolean }): Notice => {
    const at = new Date(o.now - ageDays * DAY).toISOString()
    return { id: uuidv7(o.now - ageDays * DAY, o.idBytes), ...n, fromDay: day(-ageDays), withdrawn: n.withdrawn ?? false, createdBy: o.secretaryId, createdAt: at, updatedAt: at }
  }
  return [
    notice(3, {
      title: '冬季消防安全检查通知',
      body: '本月起，社区会同物业逐楼检查楼道堆物、电动车违规充电和消防通道占用，请各户配合。\n发现隐患可告诉您的网格员。',
      category: 'affairs',
      compound: null,
      untilDay: day(27),
    }),
    notice(10, {
      title: '第三季度社区党组织活动经费使用情况',
      body: '第三季度党组织活动经费支出 6,480 元：党员教育培训 3,200 元，志愿服务活动 2,130 元，慰问困难党员 1,150 元。明细在社区党群服务中心公示栏可查。',
      category: 'finance',
      compound: null,
      untilDay: day(20),
    }),
    notice(6, {
      title: '主题党日：楼道微更新议事',
      body: '本月第二个周六上午9点，在邻里议事厅召开主题党日活动，议一议楼道微更新方案，欢迎居民党员和群众参加。',
      category: 'party',
      compound: null,
      untilDay: day(10),
    }),
    notice(1, {
      title: `${second ?? ''}停车位重新划线`,
      body: '物业将于本周末对小区地面停车位重新划线，施工期间请将车辆暂停到小区外临时停车点。',
      category: 'service',
      compound: second,
      untilDay: day(6),
    }),
    notice(2, {
      title: '老年助餐服务时间调整',
      body: '长者食堂午餐供应时间调整为 11:00—12:30，80 岁以上老人可预约送餐上门，请联系网格员或到社区登记。',
      category: 'service',
      compound: first,
      untilDay: null,
    }),
    notice(45, { title: '国庆假期社区值班安排', body: '国庆期间社区每天 9:00—17:00 有人值班，办事请带好证件。', category: 'affairs', compound: null, untilDay: day(-38) }),
    notice(20, { title: '二次供水水箱清洗（已改期）', body: '原定的水箱清洗改期，另行通知。', category: 'service', compound: first, untilDay: null, withdrawn: true }),
  ]
}
