import type { Mutation, MutationResult, PushRequest } from '../../domain'
import { MUTATION_DATA, PROTOCOL_VERSION } from '../../domain'
import { AppError } from '../appError'
import { isUniqueViolation } from '../store/errors'
import { appliedVersion, inSavepoint, recordApplied } from '../store/mutations'
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
import { createVisit } from './visits'

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
  return store.transaction().execute(async (trx) => {
    const results: MutationResult[] = []
    for (const m of req.mutations) results.push(await applyOne(trx, user, req.deviceId, m, now().toISOString()))
    return results
  })
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
