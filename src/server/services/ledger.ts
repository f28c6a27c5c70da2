import {
  chinaDay,
  checkLedgerEntry,
  inMatterScope,
  LedgerEntry,
  LedgerEntryCreate,
  ledgerTotals,
  type MatterLedgerQuery,
  type MatterLedgerResponse,
  yuan,
} from '../../domain'
import { AppError, parseWith } from '../appError'
import { findMatterRow, insertLedgerEntries, ledgerOf } from '../store/matters'
import type { Store } from '../store/open'
import { referAttachments, requireReadablePhotos } from './attachments'
import type { SessionUser } from './auth'
import { assertMatterManager, liveHouseholds, loadMatter, scopeView, scopeWords } from './matterScope'
import type { MutationHandler } from './mutationHandler'

// 筹: a matter's funding ledger. Entries are appended only — there is no patch and no delete (push
// answers those UNSUPPORTED_OPERATION); a mistake is put right by a correction naming the entry.
// The arithmetic (effective amounts, balance, the refusals) is matterLedger.ts; the ledger is the
// office's alone, as are its totals here: shares and contributions name households.

/** What the device sent, compared with a resend under another mutation id. */
const sentAs = (e: LedgerEntry) => {
  const { recordedAt: _at, ...rest } = e
  return JSON.stringify(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : 1)))
}

/** ledgerEntry:create (office). */
export const createLedgerEntry: MutationHandler = async (trx, user, m, now) => {
  assertMatterManager(user)
  const input = parseWith(LedgerEntryCreate, m.data, '账目')
  if (input.id !== m.id) throw new AppError('VALIDATION_FAILED', '账目编号与提交编号不一致')
  const entry = parseWith(LedgerEntry, { ...input, recordedBy: user.id, recordedAt: now }, '账目')
  const existing = await findMatterRow(trx, 'ledger_entries', input.id)
  if (existing) {
    // The same entry queued twice is one entry: a contribution is never counted twice.
    if (!existing.deleted && sentAs(LedgerEntry.parse(existing.data)) === sentAs(entry)) return { status: 'duplicate', version: existing.version }
    throw new AppError('ID_TAKEN', '这笔账的编号已被占用')
  }
  const { matter } = await loadMatter(trx, input.matterId)
  if (input.day > chinaDay(Date.parse(now))) throw new AppError('VALIDATION_FAILED', `账目日期 ${input.day} 还没到：记已经发生的收支`)
  const entries = (await ledgerOf(trx, matter.id)).map((e) => LedgerEntry.parse(e))

  if (entry.kind === 'contribution') await liveHouseholds(trx, [entry.householdId], '出资的户不在台账里')
  if (entry.kind === 'share') {
    const [h] = await liveHouseholds(trx, [entry.householdId], '分摊的户不在台账里')
    const view = await scopeView(trx, matter.scope)
    if (!inMatterScope(matter.scope, h!, view.compoundOf)) throw new AppError('VALIDATION_FAILED', `这户不在议题的范围（${scopeWords(matter.scope, view.buildings)}）里，不分摊`)
    const had = entries.find((e) => e.kind === 'share' && e.householdId === entry.householdId)
    if (had) throw new AppError('VALIDATION_FAILED', `这户已经有份额 ${yuan(had.amount)}：要调整请记一笔更正`)
  }
  const refusal = checkLedgerEntry(entries, entry)
  if (refusal) throw new AppError(refusal.code, refusal.message)
  await requireReadablePhotos(trx, user, entry.photoIds)
  const version = await insertLedgerEntries(trx, [entry])
  // Receipts are the office's: no grid cell is named on their reference.
  await referAttachments(trx, entry.photoIds, 'ledgerEntry', entry.id, null)
  return { status: 'applied', version }
}

/** GET /api/matters/:id/ledger: totals by kind and the balance, from one read of the entries. */
export async function matterLedger(store: Store, user: SessionUser, id: string, q: MatterLedgerQuery, now = new Date()): Promise<MatterLedgerResponse> {
  assertMatterManager(user)
  return store.transaction().execute(async (trx) => {
    const { matter } = await loadMatter(trx, id)
    const totals = ledgerTotals((await ledgerOf(trx, id, q.asOf)).map((e) => LedgerEntry.parse(e)))
    return {
      matterId: matter.id,
      title: matter.title,
      stage: matter.stage,
      asOf: q.asOf ?? null,
      at: now.toISOString(),
      budget: matter.budget,
      stillToRaise: matter.budget === null ? null : Math.max(0, matter.budget - totals.income),
      ...totals,
    }
  })
}
