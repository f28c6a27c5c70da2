import { applyServiceAction, chinaDay, checkServiceTransition, newServiceRecord, Need, pointRulesOf, Project, Resource, ServiceRecord, ServiceRecordCreate, ServiceRecordTransition, serviceCategory } from '../../domain'
import { AppError, parseWith } from '../appError'
import { findListRow, putServiceRecord } from '../store/lists'
import { assertListManager, currentSettings, flowRefusal, parseList } from './lists'
import type { MutationHandler } from './mutationHandler'

// Volunteers' service hours (积分): the office records them against a project or a need (a menu
// order included) and confirms them; points are computed only then, from the rule table in the
// settings (a category's rate, else the default), and fixed on the record. Records and points
// are the office's: no worker's device receives them (records.ts, scope.seesServiceRecords).

const POINTS_FIRST = '积分要等社区确认工时后按积分规则计算：这条工时还没有确认，不能带积分，没有保存。去掉积分再提交，确认时会自动算出。'

/** serviceRecord:create (office): hours waiting for confirmation, never with points. */
export const createServiceRecord: MutationHandler = async (trx, user, m, now) => {
  assertListManager(user, '志愿者工时')
  // Checked before the shape, which would quietly drop the field: a device that sends points
  // expects them to count, and must hear that they do not.
  if (m.data.points !== undefined && m.data.points !== null) throw new AppError('POINTS_UNCONFIRMED', POINTS_FIRST)
  const input = parseList(ServiceRecordCreate, m.data, '志愿服务记录')
  if (input.id !== m.id) throw new AppError('VALIDATION_FAILED', '服务记录编号与提交编号不一致')
  if (await findListRow(trx, 'service_records', input.id)) throw new AppError('ID_TAKEN', '这条服务记录的编号已被占用')
  if (input.day > chinaDay(Date.parse(now))) throw new AppError('VALIDATION_FAILED', `服务日期 ${input.day} 还没到`)

  const r = await findListRow(trx, 'resources', input.resourceId)
  if (!r || r.deleted) throw new AppError('NOT_FOUND', '找不到这位志愿者')
  if (Resource.parse(r.data).kind !== 'volunteer') throw new AppError('VALIDATION_FAILED', '工时和积分只记给志愿者个人，单位和团队不记')
  let project: Project | null = null
  let need: Need | null = null
  if (input.projectId) {
    const p = await findListRow(trx, 'projects', input.projectId)
    if (!p || p.deleted) throw new AppError('NOT_FOUND', '找不到这个项目')
    project = Project.parse(p.data)
  }
  if (input.needId) {
    const n = await findListRow(trx, 'needs', input.needId)
    if (!n || n.deleted) throw new AppError('NOT_FOUND', '找不到这条需求')
    need = Need.parse(n.data)
  }
  const record = newServiceRecord(input, serviceCategory({ need, project }), user.id, now)
  return { status: 'applied', version: await putServiceRecord(trx, parseWith(ServiceRecord, record, '志愿服务记录')) }
}

/** serviceRecord:transition (office): confirm (points by the rule table now in force) or reject. */
export const transitionServiceRecord: MutationHandler = async (trx, user, m, now) => {
  assertListManager(user, '志愿者工时')
  const input = parseWith(ServiceRecordTransition, m.data, '工时确认')
  const row = await findListRow(trx, 'service_records', m.id)
  if (!row || row.deleted) throw new AppError('NOT_FOUND', '找不到这条服务记录')
  const current = ServiceRecord.parse(row.data)
  const check = checkServiceTransition(current.status, input.action, 'office', input)
  if (!check.ok) throw flowRefusal(check)
  const rules = input.action === 'confirm' ? pointRulesOf(await currentSettings(trx)) : []
  const next = applyServiceAction(current, input.action, input, rules, user.id, now)
  return { status: 'applied', version: await putServiceRecord(trx, parseWith(ServiceRecord, next, '志愿服务记录')) }
}
