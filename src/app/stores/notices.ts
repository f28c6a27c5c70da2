import { defineStore } from 'pinia'
import { computed } from 'vue'
import type { z } from 'zod'
import { chinaDay, Notice, NoticeCreate, NoticePatch, noticeShownOn } from '../../domain'
import { uuidv7 } from '../../domain/ids'
import { personalDataIn } from '../../domain/publicRules'
import { db } from '../db/instance'
import { eachResident } from '../db/residents'
import { useLiveQuery } from '../db/useLiveQuery'
import { createLocal, patchLocal } from '../sync/outbox'
import { useRegisterStore } from './register'
import { refused } from './refusal'
import { useSessionStore } from './session'
import { useSyncStore } from './sync'
import { LocalError } from '../i18n/localError'

// 公告 on the office's device (docs/public.md): written and withdrawn offline like any record,
// on the public page once the server has them. Checked here as the server checks them — the
// schema, the register's compounds, and no resident's name, mobile or ID number (the office's
// device holds the whole register) — so a refusal keeps what was typed on the form.

export type NoticeInput = Omit<z.input<typeof NoticeCreate>, 'id'>
/** Where a notice stands on the public page today. */
export type NoticeState = 'shown' | 'coming' | 'over' | 'withdrawn'

export const useNoticesStore = defineStore('notices', () => {
  const session = useSessionStore()
  const sync = useSyncStore()
  const register = useRegisterStore()
  const notices = useLiveQuery(async () => (await db.notices.toArray()).sort((a, b) => b.fromDay.localeCompare(a.fromDay) || b.createdAt.localeCompare(a.createdAt)), [], undefined, { wholeTables: true })
  const isOffice = computed(() => session.user?.role === 'secretary' || session.user?.role === 'admin')
  const compounds = computed(() => [...new Set(register.buildings.map((b) => b.compound))].sort((a, b) => a.localeCompare(b, 'zh-CN')))

  function stateOf(n: Notice, day = chinaDay(Date.now())): NoticeState {
    if (n.withdrawn) return 'withdrawn'
    if (noticeShownOn(n, day)) return 'shown'
    return n.fromDay > day ? 'coming' : 'over'
  }

  async function check(n: Notice): Promise<void> {
    if (n.compound !== null && !compounds.value.includes(n.compound)) throw new LocalError('compoundUnknown', { compound: n.compound })
    const names = new Set<string>()
    await eachResident(db, (r) => void names.add(r.name))
    const why = personalDataIn(`${n.title}\n${n.body}`, names)
    if (why) throw new LocalError('noticePersonal', { why })
  }

  function officeUser() {
    const user = session.user
    if (!user) throw new LocalError('signIn')
    if (!isOffice.value) throw new LocalError('noticesOfficeOnly')
    return user
  }

  /** Publishes a notice (notice:create): on the public page from its first day once synced. */
  async function publish(input: NoticeInput): Promise<Notice> {
    const user = officeUser()
    const parsed = NoticeCreate.safeParse({ ...input, id: uuidv7() })
    if (!parsed.success) throw refused(parsed.error)
    const now = new Date()
    const notice = Notice.parse({ ...parsed.data, withdrawn: false, createdBy: user.id, createdAt: now.toISOString(), updatedAt: now.toISOString() })
    await check(notice)
    await createLocal(db, 'notice', notice, now, parsed.data as unknown as Record<string, unknown>)
    sync.saved()
    return notice
  }

  /** Changes its words or days, or withdraws it (`withdrawn: true`) and publishes it again. */
  async function patch(id: string, input: z.input<typeof NoticePatch>): Promise<void> {
    officeUser()
    const parsed = NoticePatch.safeParse(input)
    if (!parsed.success) throw refused(parsed.error)
    const current = await db.notices.get(id)
    if (!current) throw new LocalError('noticeMissing')
    const next = Notice.safeParse({ ...current, ...parsed.data })
    if (!next.success) throw refused(next.error)
    await check(next.data)
    await patchLocal(db, 'notice', id, parsed.data)
    sync.saved()
  }

  return { notices, isOffice, compounds, stateOf, publish, patch }
})
