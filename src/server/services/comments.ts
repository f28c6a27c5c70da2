import { CommentCreate, type Comment } from '../../domain'
import { AppError, parseWith } from '../appError'
import { insertRecord } from '../store/recordWrites'
import { getRecord } from '../store/records'
import type { MutationHandler } from './mutationHandler'
import { isCommunityWide } from './scope'

/** 点评: the secretary (or admin) comments on a visit log; the worker sees it after sync. */
export const createComment: MutationHandler = async (trx, user, m) => {
  if (!isCommunityWide(user)) throw new AppError('FORBIDDEN', '只有社区书记和管理员可以点评')
  const input = parseWith(CommentCreate, m.data, '点评')
  if (input.id !== m.id) throw new AppError('VALIDATION_FAILED', '点评编号与提交编号不一致')
  const visit = await getRecord(trx, 'visit', input.visitId)
  if (!visit || visit.deleted) throw new AppError('NOT_FOUND', '找不到这条走访记录')
  if (await getRecord(trx, 'comment', input.id)) throw new AppError('ID_TAKEN', '这条点评的编号已被占用')
  const comment: Comment = { ...input, gridId: visit.gridId!, authorId: user.id, authorName: user.name }
  const version = await insertRecord(trx, 'comments', { id: comment.id, gridId: comment.gridId, householdId: visit.householdId }, comment, { visit_id: comment.visitId })
  return { status: 'applied', version }
}
