import {
  CAMPAIGN_HOUSEHOLD_STATE_ZH,
  type CampaignFigures,
  chinaDay,
  ExportFormat,
  isStillOpen,
  maskName,
} from '../../domain'
import { VOTE_STATUS_LABELS } from '../../domain/voteRules'
import { z } from 'zod'
import { AppError } from '../appError'
import type { Store } from '../store/open'
import type { SessionUser } from './auth'
import { campaignForExport } from './campaigns'
import { chinaDateTime, type ExportFile, type Format, logExport, type Table, toCsv, toXlsx } from './exports'

// A campaign as a file, for the office: its progress (one row per target household) or its hazard
// list, names masked unless the admin asks ?unmasked=1; or its results (per item and answer, and
// a vote's tally: no household in them). Logged like every export (exports_log + audit).

export const CampaignExportPart = z.enum(['progress', 'results', 'hazards'])
export type CampaignExportPart = z.infer<typeof CampaignExportPart>
export { ExportFormat }

const PART_ZH: Record<CampaignExportPart, string> = { progress: '进度', results: '结果', hazards: '隐患户' }

type Value = string | number | null
type Loaded = Awaited<ReturnType<typeof campaignForExport>>

function progressTable({ campaign: c, live }: Loaded, unmasked: boolean): Table {
  const grids = live.view.grids
  const buildings = live.view.buildings
  const rows: Value[][] = live.rows.map(({ household: h }) => {
    const s = live.standing.get(h.id)!
    const b = h.buildingId ? buildings.get(h.buildingId) : undefined
    return [
      grids.get(h.gridId)?.name ?? '',
      b?.compound ?? '',
      b?.number ?? '',
      h.unit,
      h.room,
      h.address,
      unmasked ? h.headName : maskName(h.headName),
      CAMPAIGN_HOUSEHOLD_STATE_ZH[s.state],
      s.visits,
      s.lastVisitAt ? chinaDateTime(s.lastVisitAt) : null,
      isStillOpen(s.state, c.secondAttempt) ? '是' : '否',
    ]
  })
  const key = (r: Value[]) => r.slice(0, 5).map((v) => String(v ?? '').padStart(8, '0')).join('|')
  rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
  return {
    sheet: '进度',
    columns: [
      { header: '网格', width: 14 },
      { header: '小区', width: 16 },
      { header: '楼栋', width: 10 },
      { header: '单元', width: 6 },
      { header: '室', width: 8 },
      { header: '地址', width: 28 },
      { header: '户主', width: 8 },
      { header: '状态', width: 8 },
      { header: '走访次数', width: 8 },
      { header: '最近走访', width: 17 },
      { header: '还需走访', width: 8 },
    ],
    rows,
  }
}

function resultsTable(figures: CampaignFigures): Table {
  const rows: Value[][] = []
  const t = figures.progress.totals
  rows.push(['进度', '目标户数', t.targets, null, null], ['进度', '已完成', t.done, t.targets ? t.done / t.targets : null, null])
  rows.push(['进度', '已尝试未见到（含拒访）', t.attempted, t.targets ? t.attempted / t.targets : null, null], ['进度', '其中拒访', t.refused, null, null])
  rows.push(['进度', '未走访', t.notYet, t.targets ? t.notYet / t.targets : null, null])
  for (const item of figures.items) {
    if (!item.options.length) rows.push([item.label, item.number ? `平均 ${Math.round(item.number.mean * 100) / 100}` : '已回答', item.answered, null, null])
    for (const o of item.options) rows.push([item.label, `${o.label}${o.hazard ? '（有隐患）' : ''}`, o.count, item.answered ? o.share : null, null])
  }
  rows.push(['隐患', '有隐患的户', figures.hazardHouseholds, figures.answeredHouseholds ? figures.hazardHouseholds / figures.answeredHouseholds : null, null])
  if (figures.vote) {
    const { households: n, area: a, status } = figures.vote.tally
    const line = (what: string, k: 'total' | 'participants' | 'agree' | 'oppose' | 'abstain' | 'conditional') =>
      rows.push(['表决', what, n[k], k === 'total' ? null : n.total ? n[k] / n.total : null, a[k]])
    line('业主总数', 'total')
    line('参与表决', 'participants')
    line('同意', 'agree')
    line('反对', 'oppose')
    line('弃权', 'abstain')
    line('有条件同意', 'conditional')
    rows.push(['表决', `结果：${VOTE_STATUS_LABELS[status]['zh-CN']}`, null, null, null])
    if (figures.vote.tally.areaMissing) rows.push(['表决', '缺建筑面积的户', figures.vote.tally.areaMissing, null, null])
    if (figures.vote.answeredByOthersOnly) rows.push(['表决', '只有家属或租户回答、未计票的户', figures.vote.answeredByOthersOnly, null, null])
  }
  return {
    sheet: '结果',
    columns: [
      { header: '项目', width: 24 },
      { header: '答案', width: 24 },
      { header: '户数', width: 8 },
      { header: '占比', width: 8, percent: true },
      { header: '面积（㎡）', width: 12 },
    ],
    rows,
  }
}

function hazardsTable({ live }: Loaded, unmasked: boolean): Table {
  const households = new Map(live.rows.map((r) => [r.household.id, r.household]))
  const rows: Value[][] = live.hazards.map((x) => {
    const h = households.get(x.householdId)!
    return [
      live.view.grids.get(h.gridId)?.name ?? '',
      h.address,
      unmasked ? h.headName : maskName(h.headName),
      chinaDateTime(x.visit.startedAt),
      x.items.map((i) => `${i.item.label}：${typeof i.answer === 'boolean' ? (i.answer ? '是' : '否') : i.answer}`).join('；'),
    ]
  })
  return {
    sheet: '隐患户',
    columns: [
      { header: '网格', width: 14 },
      { header: '地址', width: 28 },
      { header: '户主', width: 8 },
      { header: '走访时间', width: 17 },
      { header: '隐患', width: 40 },
    ],
    rows,
  }
}

const safeName = (s: string) => s.replace(/[\\/:*?"<>|\r\n]/g, '_')

export async function buildCampaignExport(
  store: Store,
  user: SessionUser,
  id: string,
  part: CampaignExportPart,
  format: Format,
  unmasked: boolean,
  now = Date.now(),
): Promise<ExportFile> {
  if (unmasked && user.role !== 'admin') throw new AppError('FORBIDDEN', '只有管理员可以导出未打码的名单')
  // The results name nobody: there is nothing to unmask.
  if (part === 'results') unmasked = false
  const at = new Date(now)
  const loaded = await campaignForExport(store, user, id, at)
  const table = part === 'progress' ? progressTable(loaded, unmasked) : part === 'results' ? resultsTable(loaded.figures) : hazardsTable(loaded, unmasked)
  const body = format === 'xlsx' ? await toXlsx(table) : toCsv(table)
  await logExport(store, user, `campaign-${part}`, format, { campaignId: id, unmasked }, table.rows.length, at.toISOString())
  const day = chinaDay(now)
  return {
    filename: `${safeName(loaded.campaign.title)}-${PART_ZH[part]}${unmasked || part === 'results' ? '' : '-打码'}-${day}.${format}`,
    asciiFilename: `zoufang-campaign-${part}${unmasked || part === 'results' ? '' : '-masked'}-${day}.${format}`,
    contentType: format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8',
    body,
    rows: table.rows.length,
  }
}
