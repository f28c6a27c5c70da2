import type { Transaction } from 'kysely'
import { Notice, NoticeCreate, NoticePatch } from '../../domain'
import { personalDataIn } from '../../domain/publicRules'
import { AppError, parseWith } from '../appError'
import { putNotice } from '../store/notices'
import { getRecord } from '../store/records'
import { liveRows } from '../store/register'
import { residentNames } from '../store/residents'
import type { Database } from '../store/schema'
import type { SessionUser } from './auth'
import { mayManageMatters } from './scope'
import type { MutationHandler } from './mutationHandler'

// 公告: the office publishes notices to residents on the public page (docs/public.md), for the
// community or one of its compounds. What it writes goes to the internet: a mobile number, an ID
// number or a resident's name is refused with the reason, before anything is written.

type Trx = Transaction<Database>

function assertPublisher(user: SessionUser): void {
  // The office that raises matters is the office that tells residents about them.
  if (!mayManageMatters(user)) throw new AppError('FORBIDDEN', '公告由社区书记或管理员发布')
}

/** The compound is one of the register's; the words carry nobody's personal data. */
async function check(trx: Trx, n: Notice): Promise<void> {
  if (n.compound !== null) {
    const compounds = new Set((await liveRows(trx, 'buildings')).map((b) => (b.data as { compound: string }).compound))
    if (!compounds.has(n.compound)) throw new AppError('VALIDATION_FAILED', `「${n.compound}」不是本社区的小区（${[...compounds].join('、')}）`)
  }
  const why = personalDataIn(`${n.title}\n${n.body}`, await residentNames(trx))
  if (why) throw new AppError('VALIDATION_FAILED', `公告里${why}`)
}

const sentAs = (n: Pick<Notice, 'title' | 'body' | 'category' | 'compound' | 'fromDay' | 'untilDay' | 'createdBy'>) =>
  JSON.stringify([n.title, n.body, n.category, n.compound, n.fromDay, n.untilDay, n.createdBy])

/** notice:create (office). */
export const createNotice: MutationHandler = async (trx, user, m, now) => {
  assertPublisher(user)
  const input = parseWith(NoticeCreate, m.data, '公告')
  if (input.id !== m.id) throw new AppError('VALIDATION_FAILED', '公告编号与提交编号不一致')
  const existing = await getRecord(trx, 'notice', input.id)
  if (existing) {
    // The same notice sent again under a new mutation id (a reinstalled outbox): already there.
    if (!existing.deleted && sentAs(Notice.parse(existing.data)) === sentAs({ ...input, createdBy: user.id })) return { status: 'duplicate', version: existing.version }
    throw new AppError('ID_TAKEN', '这条公告的编号已被占用')
  }
  const notice = parseWith(Notice, { ...input, withdrawn: false, createdBy: user.id, createdAt: now, updatedAt: now } satisfies Notice, '公告')
  await check(trx, notice)
  return { status: 'applied', version: await putNotice(trx, notice) }
}

/** notice:patch (office): its words, place and days, or withdrawn from the public page. */
export const patchNotice: MutationHandler = async (trx, user, m, now) => {
  assertPublisher(user)
  const patch = parseWith(NoticePatch, m.data, '公告的修改')
  const row = await getRecord(trx, 'notice', m.id)
  if (!row || row.deleted) throw new AppError('NOT_FOUND', '找不到这条公告')
  const next = parseWith(Notice, { ...Notice.parse(row.data), ...patch, updatedAt: now }, '公告')
  await check(trx, next)
  return { status: 'applied', version: await putNotice(trx, next) }
}
