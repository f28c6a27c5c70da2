import { ChecklistTemplate, ChecklistTemplateCreate, ChecklistTemplatePatch } from '../../domain'
import { AppError, parseWith } from '../appError'
import { getRecord } from '../store/records'
import { insertTemplate, liveTemplateRows, updateTemplate } from '../store/templates'
import { record } from './audit'
import type { MutationHandler } from './mutationHandler'

// Checklist templates are data the admin edits (see the versioning note in
// src/domain/schemas/checklist.ts). Changing the items makes template version N+1 and keeps
// version N in `history`, so visits already filled with N stay valid and keep their labels.
// A rename only (no item change) keeps the template version; the record's sync version moves
// either way, so every device gets the new record at its next pull.

export const patchTemplate: MutationHandler = async (trx, user, m, now) => {
  if (user.role !== 'admin') throw new AppError('FORBIDDEN', '只有管理员可以修改走访清单')
  const patch = parseWith(ChecklistTemplatePatch, m.data, '走访清单')
  const row = await getRecord(trx, 'checklistTemplate', m.id)
  if (!row || row.deleted) throw new AppError('NOT_FOUND', '找不到这份走访清单')
  const current = ChecklistTemplate.parse(row.data)
  const itemsChanged = patch.items !== undefined && JSON.stringify(patch.items) !== JSON.stringify(current.items)
  const next = parseWith(
    ChecklistTemplate,
    itemsChanged
      ? {
          ...current,
          name: patch.name ?? current.name,
          version: current.version + 1,
          items: patch.items,
          history: [...(current.history ?? []), { version: current.version, items: current.items }],
        }
      : { ...current, name: patch.name ?? current.name },
    '走访清单',
  )
  const version = await updateTemplate(trx, m.id, next)
  await record(trx, {
    userId: user.id,
    action: 'settings_change',
    subject: { type: 'checklistTemplate', id: m.id },
    details: { templateVersion: next.version, previousVersion: current.version, changed: Object.keys(patch) },
    at: now,
  })
  return { status: 'applied', version }
}

export const createTemplate: MutationHandler = async (trx, user, m, now) => {
  if (user.role !== 'admin') throw new AppError('FORBIDDEN', '只有管理员可以新建走访清单')
  const data = parseWith(ChecklistTemplateCreate, m.data, '走访清单')
  if (data.id !== m.id) throw new AppError('VALIDATION_FAILED', '清单编号与提交编号不一致')
  if (await getRecord(trx, 'checklistTemplate', data.id)) throw new AppError('ID_TAKEN', '这份清单的编号已被占用')
  const all = await liveTemplateRows(trx)
  if (all.some((r) => (r as { code?: unknown }).code === data.code))
    throw new AppError('VALIDATION_FAILED', `已有代码为「${data.code}」的清单`)
  const template: ChecklistTemplate = parseWith(ChecklistTemplate, { ...data, version: 1 }, '走访清单')
  const version = await insertTemplate(trx, template)
  await record(trx, {
    userId: user.id,
    action: 'settings_change',
    subject: { type: 'checklistTemplate', id: template.id },
    details: { created: true, code: template.code, templateVersion: 1 },
    at: now,
  })
  return { status: 'applied', version }
}
