import { defineStore } from 'pinia'
import { computed } from 'vue'
import type { ChecklistItem, ChecklistTemplate } from '../../domain'
import { db } from '../db/instance'
import { useLiveQuery } from '../db/useLiveQuery'
import { uuidv7 } from '../../domain/ids'
import { createLocal, outboxScope, patchLocal } from '../sync/outbox'
import { loadSchemas } from '../sync/schemas'
import { useSyncStore } from './sync'
import { LocalError } from '../i18n/localError'

/** The checklist templates on the device, and the admin's edit of one. */
export const useTemplatesStore = defineStore('templates', () => {
  const sync = useSyncStore()
  const records = useLiveQuery(() => db.checklistTemplates.toArray(), [], undefined, { wholeTables: true })
  const templates = computed(() => [...records.value].sort((a, b) => a.code.localeCompare(b.code)))

  /** Saves new items as the next version, on the device at once (record + outbox in one
   *  transaction), then nudges sync. The server makes the same version N+1 and keeps N in
   *  `history`, as this does locally. Throws a ZodError for invalid items. */
  async function saveItems(id: string, items: ChecklistItem[], name?: string): Promise<void> {
    const { ChecklistTemplate, ChecklistTemplatePatch } = await loadSchemas()
    const patch = ChecklistTemplatePatch.parse({ items, ...(name !== undefined ? { name } : {}) })
    // patchLocal names the outbox row from other tables too: the transaction must hold them.
    await db.transaction('rw', outboxScope(db, 'checklistTemplates'), async () => {
      const current = await db.checklistTemplates.get(id)
      if (!current) throw new LocalError('templateMissing')
      const { _v, ...plain } = current
      const before = ChecklistTemplate.parse(plain)
      const next: ChecklistTemplate = {
        ...before,
        name: patch.name ?? before.name,
        version: before.version + 1,
        items: patch.items!,
        history: [...(before.history ?? []), { version: before.version, items: before.items }],
      }
      await patchLocal(db, 'checklistTemplate', id, patch)
      await db.checklistTemplates.put({ ...next, ...(_v !== undefined ? { _v } : {}) })
    })
    sync.saved()
  }

  /** A new template (version 1), made on the device and queued like any change; its code is
   *  made from the time so two admins never pick the same one. Throws a ZodError for bad items. */
  async function create(name: string, items: ChecklistItem[]): Promise<string> {
    const { ChecklistTemplateCreate } = await loadSchemas()
    const sent = ChecklistTemplateCreate.parse({ id: uuidv7(), code: `t${Date.now().toString(36)}`, name, items })
    await createLocal(db, 'checklistTemplate', { ...sent, version: 1 }, new Date(), sent)
    sync.saved()
    return sent.id
  }

  return { templates, saveItems, create }
})
