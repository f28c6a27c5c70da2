import type { CellLeft } from '../../domain'
import { getMeta, type ZoufangDb } from '../db/database'

// When an admin moves a grid cell to another worker, the old worker's device starts over at its
// next pull and the cell's households leave the phone. Without a word that reads as 共 0 户 and
// lost work. So the engine notes the cells the phone held (and the visits of each still unsent)
// before it starts over; once the pull is complete, each cell no longer there becomes a notice
// that stays until the worker dismisses it: which cell, when, to whom (when the server says),
// and that the visits made offline were kept.

/** Meta keys: the cells held before starting over; what the server said; the notices. */
const HELD = 'cellsHeld'
const SAID = 'cellsLeftSaid'
const NOTICES = 'cellsLeftNotices'

interface CellsHeld {
  cells: Array<{ id: string; name: string }>
  /** Visits of each cell that were in the outbox when the pass began: made offline. */
  offline: Record<string, string[]>
}

export interface CellLeftNotice {
  gridId: string
  /** As the phone knew it (the server's name if the phone had none). */
  gridName: string
  /** When the cell was taken off this worker, as the server says; null from an older server. */
  at: string | null
  /** When this phone found out. */
  noticedAt: string
  /** Who holds it now: a name, null for nobody, undefined when the server did not say. */
  toName?: string | null
  /** The visits of the cell this phone had made offline: sent, or waiting in 待处理. */
  visitIds: string[]
}

/** The visits queued on the phone, by grid cell. Read before a pass pushes them. */
export async function offlineVisitsByCell(db: ZoufangDb): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  for (const r of await db.outbox.toArray()) {
    if (r.entity !== 'visit' || r.op !== 'create' || typeof r.data.gridId !== 'string') continue
    ;(out[r.data.gridId] ??= []).push(r.entityId)
  }
  return out
}

/** Notes the cells the phone holds before it starts over. Inside the start-over transaction
 *  (meta and gridCells in scope). A second start-over before the pull completes keeps the first
 *  note: by then the table holds only part of the cells. */
export async function noteCellsHeld(db: ZoufangDb, offline: Record<string, string[]>): Promise<void> {
  if (await db.meta.get(HELD)) return
  const cells = (await db.gridCells.toArray()).map((g) => ({ id: g.id, name: g.name }))
  await db.meta.put({ key: HELD, value: { cells, offline } satisfies CellsHeld })
}

/** Keeps what the server said about cells that left, for when the pull completes. */
export async function keepServerWord(db: ZoufangDb, cellsLeft: CellLeft[]): Promise<void> {
  await db.meta.put({ key: SAID, value: cellsLeft })
}

/** After a complete pull: each cell held before starting over and not on the phone now becomes
 *  a notice (replacing an older one of the same cell); a cell back on the phone drops its
 *  notice. Returns the new notices. */
export async function settleCellsLeft(db: ZoufangDb, now = new Date()): Promise<CellLeftNotice[]> {
  return db.transaction('rw', [db.meta, db.gridCells], async () => {
    const held = await getMeta<CellsHeld>(db, HELD)
    const said = new Map(((await getMeta<CellLeft[]>(db, SAID)) ?? []).map((c) => [c.gridId, c]))
    await db.meta.bulkDelete([HELD, SAID])
    const here = new Set((await db.gridCells.toCollection().primaryKeys()) as string[])
    const fresh: CellLeftNotice[] = (held?.cells ?? [])
      .filter((c) => !here.has(c.id))
      .map((c) => {
        const word = said.get(c.id)
        return {
          gridId: c.id,
          gridName: c.name || word?.gridName || '',
          at: word?.at ?? null,
          noticedAt: now.toISOString(),
          ...(word ? { toName: word.toName } : {}),
          visitIds: held?.offline[c.id] ?? [],
        }
      })
    const before = (await getMeta<CellLeftNotice[]>(db, NOTICES)) ?? []
    const gone = new Set(fresh.map((n) => n.gridId))
    const kept = before.filter((n) => !gone.has(n.gridId) && !here.has(n.gridId))
    if (fresh.length > 0 || kept.length !== before.length) await db.meta.put({ key: NOTICES, value: [...kept, ...fresh] })
    return fresh
  })
}

export async function readCellsLeft(db: ZoufangDb): Promise<CellLeftNotice[]> {
  return (await getMeta<CellLeftNotice[]>(db, NOTICES)) ?? []
}

/** The worker has read it. */
export async function dismissCellLeft(db: ZoufangDb, gridId: string): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const list = await readCellsLeft(db)
    await db.meta.put({ key: NOTICES, value: list.filter((n) => n.gridId !== gridId) })
  })
}
