import type { Building, Household, MatterScope } from '../../../domain'
import { inMatterScope } from '../../../domain/matterFlow'
import { placeWords } from '../../../domain/placeWords'

// A matter's place and money as the office reads and types them, from the register on the device:
// the same words and the same households the server uses (services/matterScope.ts).

/** "幸福里小区3号楼2单元", "幸福里小区", or the community's word for itself. */
export function scopeWords(scope: MatterScope, buildingById: ReadonlyMap<string, Building>, community: string): string {
  return placeWords(scope, (id) => buildingById.get(id), community)
}

const numeric = (a: string, b: string) => a.localeCompare(b, 'zh-CN', { numeric: true })

/** The households of the scope on the device, in walking order (building, unit, floor, room). */
export function scopeHouseholds(scope: MatterScope, households: readonly Household[], buildingById: ReadonlyMap<string, Building>): Household[] {
  const compoundOf = (id: string) => buildingById.get(id)?.compound
  return households
    .filter((h) => inMatterScope(scope, h, compoundOf))
    .sort((a, b) => {
      const ba = a.buildingId ? buildingById.get(a.buildingId) : undefined
      const bb = b.buildingId ? buildingById.get(b.buildingId) : undefined
      return (
        numeric(ba?.compound ?? '', bb?.compound ?? '') ||
        numeric(ba?.number ?? '', bb?.number ?? '') ||
        numeric(a.unit ?? '', b.unit ?? '') ||
        (a.floor ?? 0) - (b.floor ?? 0) ||
        numeric(a.room ?? '', b.room ?? '') ||
        numeric(a.id, b.id)
      )
    })
}

/** The cells a matter of this scope touches, as the server sets them: its households', the
 *  building's own, every cell for the community. */
export function scopeGridIds(scope: MatterScope, inScope: readonly Household[], buildingById: ReadonlyMap<string, Building>, gridIds: readonly string[]): string[] {
  const cells = new Set(inScope.map((h) => h.gridId))
  if (scope.kind === 'building' || scope.kind === 'unit') {
    const b = buildingById.get(scope.buildingId)
    if (b) cells.add(b.gridId)
  }
  if (scope.kind === 'community') for (const g of gridIds) cells.add(g)
  return [...cells].sort()
}

/** An amount typed in 元 ("1200", "1,200.5", "¥36万" is not one) as fen, exactly: no floating
 *  point. `signed` allows a minus (a correction). null when it is no amount. */
export function fenOf(text: string, signed = false): number | null {
  const s = text.replace(/[\s,，¥￥元]/g, '')
  const m = /^(-?)(\d{1,10})(?:\.(\d{1,2}))?$/.exec(s)
  if (!m || (m[1] && !signed)) return null
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'))
  return m[1] ? -fen : fen
}

/** Fen as typed in 元 again: 123450 → "1234.50", 120000 → "1200". */
export function yuanInput(fen: number): string {
  const abs = Math.abs(fen)
  const whole = Math.floor(abs / 100)
  const cents = abs % 100
  return `${fen < 0 ? '-' : ''}${whole}${cents ? `.${String(cents).padStart(2, '0')}` : ''}`
}

/** `n` days after `day`, "YYYY-MM-DD" (calendar arithmetic, no time zone). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}
