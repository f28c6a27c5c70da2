import writeExcelFile, { type Cell, type SheetData } from 'write-excel-file/node'
import { type Case, caseCard, maskIdNumber, maskName, maskPhone, STATE_LABEL_ZH, type StatsQuery, type Team, type Visit } from '../../domain'
import { chinaDayNumber, dayString, periodBounds } from '../../domain/coverage'
import type { z } from 'zod'
import type { ExportFormat, ExportKind } from '../../domain'
import { insertExportLog } from '../store/exportsLog'
import type { Store } from '../store/open'
import { allTeamRows, casesReportedBetween } from '../store/stats'
import { allUsers } from '../store/users'
import { visitsBetween } from '../store/visitStats'
import { record } from './audit'
import type { SessionUser } from './auth'
import { CARD_LABEL_ZH, CATEGORY_LABEL_ZH, EXPORT_NAME_ZH, KIND_LABEL_ZH, OUTCOME_LABEL_ZH, URGENCY_LABEL_ZH } from '../../domain'
import { dashboard, readSettings, resolveScope } from './stats'

// Exports for the office (secretary, admin), the way the community already works: .xlsx and CSV
// with Chinese headers. PIPL: only what the work needs — names masked, never an ID number or a
// phone number (free text is scrubbed of both) — and every export is logged.

export type Kind = z.infer<typeof ExportKind>
export type Format = z.infer<typeof ExportFormat>

type Value = string | number | null
interface Column {
  header: string
  width?: number
  /** A 0..1 ratio shown as a percentage. */
  percent?: boolean
}
export interface Table {
  sheet: string
  columns: Column[]
  rows: Value[][]
}

export interface ExportFile {
  filename: string
  /** ASCII stand-in for clients that do not read RFC 5987 `filename*`. */
  asciiFilename: string
  contentType: string
  body: Buffer
  rows: number
}

const CONTENT_TYPES: Record<Format, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
}

const pad = (n: number) => String(n).padStart(2, '0')
/** A UTC instant as China wall-clock time, "2026-11-21 09:30". */
export function chinaDateTime(iso: string): string {
  const ms = Date.parse(iso)
  const d = new Date(ms + 8 * 3600_000)
  return `${dayString(chinaDayNumber(ms))} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

/** Free text may hold what exports must never carry: an ID number or a mobile number. */
export function scrub(text: string): string {
  return text
    .replace(/(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g, (m) => maskIdNumber(m))
    .replace(/(?<!\d)1\d{10}(?!\d)/g, (m) => maskPhone(m))
}

async function dashboardTable(store: Store, user: SessionUser, q: StatsQuery, now: number): Promise<Table> {
  const d = await dashboard(store, user, q, now)
  const columns: Column[] = [
    { header: '分组', width: 8 },
    { header: '名称', width: 18 },
    { header: '走访次数', width: 10 },
    { header: '重点人群应访户数', width: 16 },
    { header: '重点人群已访户数', width: 16 },
    { header: '重点人群覆盖率', width: 14, percent: true },
    { header: '逾期未访户数', width: 12 },
    { header: '未结问题', width: 10 },
    { header: '超时问题', width: 10 },
    ...d.weeks.map((w) => ({ header: `${w.slice(5).replace('-', '/')}起一周`, width: 12 })),
  ]
  const line = (group: string, r: (typeof d.byGrid)[number]): Value[] => [
    group,
    r.label,
    r.visits,
    r.vulnerableNeeded,
    r.vulnerableVisited,
    r.vulnerableCoverage,
    r.overdue,
    r.openCases,
    r.overdueCases,
    ...r.weekly,
  ]
  return { sheet: '统计', columns, rows: [...d.byGrid.map((r) => line('网格', r)), ...d.byWorker.map((r) => line('网格员', r))] }
}

async function visitsTable(store: Store, user: SessionUser, q: StatsQuery): Promise<Table> {
  const scope = await resolveScope(store, user, q)
  const households = new Map(scope.households.map((h) => [h.id, h]))
  const gridName = new Map(scope.grids.map((g) => [g.id, g.name]))
  const workerName = new Map((await allUsers(store)).map((u) => [u.id, u.name]))
  const { start, end } = periodBounds(q.from, q.to)
  const rows: Value[][] = []
  for (const r of await visitsBetween(store, start, end, scope.wholeCommunity ? null : scope.grids.map((g) => g.id))) {
    const h = r.householdId ? households.get(r.householdId) : undefined
    if (!h) continue
    const v = r.data as Visit
    const [day, time] = chinaDateTime(v.startedAt).split(' ')
    rows.push([
      day!,
      time!,
      gridName.get(h.gridId) ?? '',
      workerName.get(v.workerId) ?? '',
      maskName(h.headName),
      h.address,
      OUTCOME_LABEL_ZH[v.outcome],
      v.residentIds.length,
      scrub(v.notes),
      scrub(v.needs),
      v.followUpDate,
    ])
  }
  const columns: Column[] = [
    { header: '日期', width: 12 },
    { header: '时间', width: 8 },
    { header: '网格', width: 16 },
    { header: '网格员', width: 10 },
    { header: '户主', width: 8 },
    { header: '地址', width: 28 },
    { header: '走访结果', width: 8 },
    { header: '见到人数', width: 8 },
    { header: '情况记录', width: 40 },
    { header: '诉求', width: 30 },
    { header: '约定回访日期', width: 12 },
  ]
  return { sheet: '走访记录', columns, rows }
}

async function casesTable(store: Store, user: SessionUser, q: StatsQuery, now: number): Promise<Table> {
  const scope = await resolveScope(store, user, q)
  const gridName = new Map(scope.grids.map((g) => [g.id, g.name]))
  const filtered = q.tag !== undefined || q.attention !== undefined
  const households = new Set(scope.households.map((h) => h.id))
  const { caseDeadlines } = await readSettings(store)
  const teams = new Map((await allTeamRows(store)).map((t) => [t.id, (t.data as Team).name]))
  const { start, end } = periodBounds(q.from, q.to)
  const found = await casesReportedBetween(store, scope.grids.map((g) => g.id), start, end)
  const rows: Value[][] = []
  for (const data of found) {
    const c = data as Case
    // With a tag or attention filter: the cases that involve one of those households.
    if (filtered && !c.householdIds.some((id) => households.has(id))) continue
    rows.push([
      chinaDateTime(c.reportedAt),
      gridName.get(c.gridId) ?? '',
      KIND_LABEL_ZH[c.kind],
      CATEGORY_LABEL_ZH[c.category as keyof typeof CATEGORY_LABEL_ZH] ?? c.category,
      scrub(c.title),
      URGENCY_LABEL_ZH[c.urgency],
      STATE_LABEL_ZH[c.state],
      c.handlerTeamId ? (teams.get(c.handlerTeamId) ?? '') : '',
      c.deadline ? chinaDateTime(c.deadline) : null,
      CARD_LABEL_ZH[caseCard(c, now, caseDeadlines).card],
    ])
  }
  const columns: Column[] = [
    { header: '上报时间', width: 17 },
    { header: '网格', width: 16 },
    { header: '问题种类', width: 10 },
    { header: '类别', width: 10 },
    { header: '标题', width: 30 },
    { header: '紧急程度', width: 8 },
    { header: '状态', width: 8 },
    { header: '处置单位', width: 14 },
    { header: '办理期限', width: 17 },
    { header: '督办', width: 10 },
  ]
  return { sheet: '问题', columns, rows }
}

/** A text cell Excel would run as a formula (=, +, -, @) is kept as text (OWASP CSV injection). */
function defuse(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
}

function csvField(v: Value, col: Column): string {
  if (v === null) return ''
  if (typeof v === 'number') return col.percent ? `${(v * 100).toFixed(1)}%` : String(v)
  const s = defuse(v)
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s
}

/** RFC 4180, UTF-8 with a byte-order mark: Excel in China reads UTF-8 only with it. */
export function toCsv(t: Table): Buffer {
  const lines = [t.columns.map((c) => csvField(c.header, c)), ...t.rows.map((r) => r.map((v, i) => csvField(v, t.columns[i]!)))]
  return Buffer.from(`\uFEFF${lines.map((l) => l.join(',')).join('\r\n')}\r\n`, 'utf8')
}

export async function toXlsx(t: Table): Promise<Buffer> {
  const data: SheetData = [
    t.columns.map((c) => ({ value: c.header, fontWeight: 'bold' as const })),
    ...t.rows.map((r) => r.map((v, i): Cell => (v !== null && t.columns[i]!.percent ? { value: v, format: '0.0%' } : v))),
  ]
  return writeExcelFile(data, { sheet: t.sheet, columns: t.columns.map((c) => ({ width: c.width ?? 12 })), stickyRowsCount: 1 }).toBuffer()
}

/** RFC 5987 value: UTF-8, percent-encoded, with the characters it reserves escaped too. */
export function contentDisposition(file: Pick<ExportFile, 'filename' | 'asciiFilename'>): string {
  const encoded = encodeURIComponent(file.filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${file.asciiFilename}"; filename*=UTF-8''${encoded}`
}

/** Logs an export in exports_log and the audit log, in one transaction. */
export async function logExport(store: Store, user: SessionUser, kind: string, format: string, filters: unknown, rows: number, at: string): Promise<void> {
  await store.transaction().execute(async (trx) => {
    await insertExportLog(trx, { userId: user.id, at, kind, format, filters, rows })
    await record(trx, { userId: user.id, action: 'export', subject: { type: 'export', id: kind }, details: { kind, format, filters, rows }, at })
  })
}

/** Builds the file and logs the export in the same breath: no file leaves without its log row. */
export async function buildExport(store: Store, user: SessionUser, kind: Kind, format: Format, q: StatsQuery, now = Date.now()): Promise<ExportFile> {
  const table =
    kind === 'dashboard' ? await dashboardTable(store, user, q, now) : kind === 'visits' ? await visitsTable(store, user, q) : await casesTable(store, user, q, now)
  const body = format === 'xlsx' ? await toXlsx(table) : toCsv(table)
  await logExport(store, user, kind, format, q, table.rows.length, new Date(now).toISOString())
  return {
    filename: `${EXPORT_NAME_ZH[kind]}-${q.from}至${q.to}.${format}`,
    asciiFilename: `zoufang-${kind}-${q.from}_${q.to}.${format}`,
    contentType: CONTENT_TYPES[format],
    body,
    rows: table.rows.length,
  }
}
