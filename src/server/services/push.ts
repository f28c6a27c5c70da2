import type { Mutation, MutationResult, PushRequest } from '../../domain'
import { MUTATION_DATA, PROTOCOL_VERSION } from '../../domain'
import { AppError } from '../appError'
import { isUniqueViolation } from '../store/errors'
import { appliedVersion, appliedVersions, inSavepoint, recordApplied, recordAppliedMany } from '../store/mutations'
import { existingIds } from '../store/records'
import type { Transaction } from 'kysely'
import type { Store } from '../store/open'
import type { Database } from '../store/schema'
import type { SessionUser } from './auth'
import type { MutationHandler } from './mutationHandler'
import { createCase, transitionCase } from './cases'
import { createComment } from './comments'
import { patchHousehold } from './households'
import { createResident, patchResident } from './residents'
import { patchSettings } from './settings'
import { createTemplate, patchTemplate } from './templates'
import { createNeed, transitionNeed } from './needs'
import { createProject, patchProject, transitionProject } from './projects'
import { createResource, patchResource } from './resources'
import { createServiceRecord, transitionServiceRecord } from './serviceRecords'
import { createLedgerEntry } from './ledger'
import { createMatter, patchMatter, transitionMatter } from './matters'
import { createMeeting, patchMeeting } from './meetings'
import { createNotice, patchNotice } from './notices'
import { createVisit, type PreparedVisit, prepareVisit, VISIT_ID_TAKEN, writeVisits } from './visits'

const HANDLERS: Record<keyof typeof MUTATION_DATA, MutationHandler> = {
  'visit:create': createVisit,
  'household:patch': patchHousehold,
  'resident:create': createResident,
  'resident:patch': patchResident,
  'case:create': createCase,
  'case:transition': transitionCase,
  'comment:create': createComment,
  'settings:patch': patchSettings,
  'checklistTemplate:patch': patchTemplate,
  'checklistTemplate:create': createTemplate,
  'need:create': createNeed,
  'need:transition': transitionNeed,
  'resource:create': createResource,
  'resource:patch': patchResource,
  'project:create': createProject,
  'project:patch': patchProject,
  'project:transition': transitionProject,
  'serviceRecord:create': createServiceRecord,
  'serviceRecord:transition': transitionServiceRecord,
  'matter:create': createMatter,
  'matter:patch': patchMatter,
  'matter:transition': transitionMatter,
  'meeting:create': createMeeting,
  'meeting:patch': patchMeeting,
  'ledgerEntry:create': createLedgerEntry,
  'notice:create': createNotice,
  'notice:patch': patchNotice,
}

/** Records kept as they were written: what a patch or delete of one is told, in words. */
const APPEND_ONLY: Partial<Record<Mutation['entity'], string>> = {
  ledgerEntry: '账目只能追加，不能修改或删除：记错了请另记一笔更正，写明更正哪一笔、差多少',
  matterStep: '议题的每一步都留作记录，不能修改或删除',
}

/** Applies a batch in order, in one transaction. Each mutation runs under its own savepoint with
 *  its ledger row, so a resent one answers `duplicate`, and one refused never holds back the rest
 *  of the batch; a server fault rolls the whole batch back (nothing of it is kept, the device
 *  resends it all). */
export async function push(store: Store, user: SessionUser, req: PushRequest, now = () => new Date()): Promise<MutationResult[]> {
  if (req.protocolVersion !== PROTOCOL_VERSION)
    throw new AppError('PROTOCOL_MISMATCH', '应用版本过旧或过新，请更新应用后再同步', {
      serverProtocolVersion: PROTOCOL_VERSION,
    })
  if (allNewVisits(req.mutations)) {
    try {
      return await pushVisits(store, user, req, now().toISOString())
    } catch (err) {
      // A key taken by a writer the lock does not order (none today): the batch rolled back
      // whole, and the one-at-a-time path below answers each mutation on its own.
      if (!isUniqueViolation(err)) throw err
    }
  }
  return store.transaction().execute(async (trx) => {
    const results: MutationResult[] = []
    for (const m of req.mutations) results.push(await applyOne(trx, user, req.deviceId, m, now().toISOString()))
    return results
  })
}

/** A batch of nothing but new visits, each its own mutation and record: what a phone's outbox
 *  mostly holds after a day in the stairwells. */
function allNewVisits(mutations: readonly Mutation[]): boolean {
  return (
    mutations.length > 0 &&
    mutations.every((m) => m.entity === 'visit' && m.op === 'create') &&
    new Set(mutations.map((m) => m.mutationId)).size === mutations.length &&
    new Set(mutations.map((m) => m.id)).size === mutations.length
  )
}

/** The same answers as one mutation at a time, in two phases. Every check reads first, outside
 *  the write transaction (prepareVisit says why that is safe for a new visit); then one short
 *  transaction, under the community's write lock on PostgreSQL, reads the ledger again and the
 *  ids, and writes the batch in a few statements (and one per visit with photos) instead of
 *  about ten per visit. The lock is what every write of a community waits for, so its length
 *  is the community's write rate. */
async function pushVisits(store: Store, user: SessionUser, req: PushRequest, now: string): Promise<MutationResult[]> {
  const { deviceId, mutations } = req
  const results = new Map<string, MutationResult>()
  // A resent mutation answers `duplicate` without being checked again.
  const seen = await appliedVersions(store, user.id, deviceId, mutations.map((m) => m.mutationId))
  const prepared = new Map<string, PreparedVisit>()
  for (const m of mutations) {
    const version = seen.get(m.mutationId)
    if (version !== undefined) {
      results.set(m.mutationId, { mutationId: m.mutationId, status: 'duplicate', version })
      continue
    }
    try {
      prepared.set(m.mutationId, await prepareVisit(store, user, m))
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      results.set(m.mutationId, { mutationId: m.mutationId, status: 'rejected', error: err.toJSON() })
    }
  }
  if (prepared.size > 0)
    await store.transaction().execute(async (trx) => {
      // Under the lock: what another push of the same batch, or of a visit with the same id,
      // committed since the reads above.
      const seenNow = await appliedVersions(trx, user.id, deviceId, [...prepared.keys()])
      const taken = await existingIds(trx, 'visit', [...prepared.values()].map((p) => p.visit.id))
      const toWrite: [string, PreparedVisit][] = []
      for (const [mutationId, p] of prepared) {
        const version = seenNow.get(mutationId)
        if (version !== undefined) results.set(mutationId, { mutationId, status: 'duplicate', version })
        else if (taken.has(p.visit.id)) results.set(mutationId, { mutationId, status: 'rejected', error: new AppError('ID_TAKEN', VISIT_ID_TAKEN).toJSON() })
        else toWrite.push([mutationId, p])
      }
      const versions = await writeVisits(trx, toWrite.map(([, p]) => p))
      const rows = toWrite.map(([mutationId, p], i) => ({ mutationId, entity: 'visit', entityId: p.visit.id, op: 'create', status: 'applied', version: versions[i]!, receivedAt: now }))
      // The ledger rows commit with the visits: exactly once, even if the response is lost.
      await recordAppliedMany(trx, user.id, deviceId, rows)
      for (const r of rows) results.set(r.mutationId, { mutationId: r.mutationId, status: 'applied', version: r.version })
    })
  return mutations.map((m) => results.get(m.mutationId)!)
}

async function applyOne(trx: Transaction<Database>, user: SessionUser, deviceId: string, m: Mutation, now: string): Promise<MutationResult> {
  const key = { userId: user.id, deviceId, mutationId: m.mutationId }
  try {
    return await inSavepoint(trx, async () => {
      const seen = await appliedVersion(trx, key)
      if (seen !== null) return { mutationId: m.mutationId, status: 'duplicate' as const, version: seen }

      const handler = HANDLERS[`${m.entity}:${m.op}` as keyof typeof HANDLERS]
      if (!handler) throw new AppError('UNSUPPORTED_OPERATION', APPEND_ONLY[m.entity] ?? `不支持的操作：${m.entity} ${m.op}`)
      const applied = await handler(trx, user, m, now, deviceId)
      // The ledger row commits with the change itself: exactly once, even if the response is lost.
      await recordApplied(trx, key, { entity: m.entity, entityId: m.id, op: m.op, status: applied.status, version: applied.version, receivedAt: now })
      return { mutationId: m.mutationId, status: applied.status, version: applied.version }
    })
  } catch (err) {
    // Refusals are answered per mutation (nothing of it was written: its savepoint rolled back).
    if (err instanceof AppError) return { mutationId: m.mutationId, status: 'rejected', error: err.toJSON() }
    // A key another writer took between our check and our insert (the same mutation sent through
    // two connections at once, or the same record id): the mutation's own row means it is in;
    // otherwise the id is someone else's. Never a 5xx the device would retry forever.
    if (isUniqueViolation(err)) {
      const seen = await appliedVersion(trx, key)
      if (seen !== null) return { mutationId: m.mutationId, status: 'duplicate', version: seen }
      return { mutationId: m.mutationId, status: 'rejected', error: new AppError('ID_TAKEN', '这条记录的编号已被别的记录占用').toJSON() }
    }
    // Anything else is a server fault: let it become a 5xx so the device retries the batch.
    throw err
  }
}
