import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { db } from '../../src/app/db/instance'
import { useNoticesStore } from '../../src/app/stores/notices'
import { chinaDay, NoticeCreate, NoticePatch } from '../../src/domain'
import { validBuilding, validNotice, validResident } from '../support/fixtures'
import { logIn, seedRegister } from './matterKit'
import { putResidents } from '../../src/app/db/residents'

// 公告 on the office's device: published and withdrawn through the outbox with exactly what the
// server parses; refused on the device — nothing queued, nothing stored — when it names a resident
// of the register, carries a mobile number, or is for a compound the register does not have.

const TODAY = chinaDay(Date.now())
const input = { title: '停水通知', body: '明天9时至15时停水，请提前储水。', category: 'service' as const, compound: validBuilding().compound, fromDay: TODAY, untilDay: null }

beforeEach(async () => {
  setActivePinia(createPinia())
  await seedRegister()
  await putResidents(db, [{ ...validResident({ name: '欧阳娜娜' }), _v: 1 }])
})

async function store(role: 'secretary' | 'worker' = 'secretary') {
  logIn(role)
  const s = useNoticesStore()
  await expect.poll(() => s.compounds.length).toBeGreaterThan(0)
  return s
}
async function refused(work: () => Promise<unknown>): Promise<string> {
  const before = { outbox: await db.outbox.count(), notices: await db.notices.toArray() }
  const message = await work().then(
    () => 'accepted',
    (err: Error) => err.message,
  )
  expect(await db.outbox.count()).toBe(before.outbox)
  expect(await db.notices.toArray()).toEqual(before.notices)
  return message
}

describe('publishing a notice', () => {
  it('stores it on the public page from today and queues exactly the NoticeCreate', async () => {
    const s = await store()
    const n = await s.publish(input)
    expect(await db.notices.get(n.id)).toMatchObject({ ...input, withdrawn: false })
    const [row] = await db.outbox.toArray()
    expect(row).toMatchObject({ entity: 'notice', op: 'create', entityId: n.id, label: '停水通知' })
    expect(row!.data).toEqual(NoticeCreate.parse(row!.data))
    expect(row!.data).toEqual({ id: n.id, ...input })
    expect(s.stateOf(n)).toBe('shown')
  })

  it('refuses a resident’s name, a mobile number, an unknown compound, a last day before the first, and a worker', async () => {
    const s = await store()
    expect(await refused(() => s.publish({ ...input, body: '请欧阳娜娜到社区办理' }))).toBe('公告里有居民的姓名「欧阳娜娜」：公开页面不登居民姓名')
    expect(await refused(() => s.publish({ ...input, title: '联系13912345678' }))).toMatch(/^公告里有手机号码（139…）/)
    expect(await refused(() => s.publish({ ...input, compound: '别的小区' }))).toBe('「别的小区」不是本社区的小区')
    expect(await refused(() => s.publish({ ...input, fromDay: '2026-12-10', untilDay: '2026-12-01' }))).toBe('截止日期不能早于开始日期')
    setActivePinia(createPinia())
    const worker = await store('worker')
    expect(await refused(() => worker.publish(input))).toBe('公告由社区书记或管理员发布')
  })
})

describe('changing a notice', () => {
  it('withdraws it (a patch of that field alone) and publishes it again; its state follows', async () => {
    const s = await store()
    await db.notices.put({ ...validNotice({ fromDay: TODAY, untilDay: null }), _v: 3 })
    await s.patch(validNotice().id, { withdrawn: true })
    const [row] = await db.outbox.toArray()
    expect(row).toMatchObject({ entity: 'notice', op: 'patch', baseVersion: 3, data: { withdrawn: true } })
    expect(NoticePatch.parse(row!.data)).toEqual({ withdrawn: true })
    expect(s.stateOf((await db.notices.get(validNotice().id))!)).toBe('withdrawn')
    await s.patch(validNotice().id, { withdrawn: false })
    expect(s.stateOf((await db.notices.get(validNotice().id))!)).toBe('shown')
  })

  it('says coming and over by the days', async () => {
    const s = await store()
    expect(s.stateOf(validNotice({ fromDay: '2026-12-05', untilDay: null }), '2026-12-01')).toBe('coming')
    expect(s.stateOf(validNotice({ fromDay: '2026-11-01', untilDay: '2026-11-30' }), '2026-12-01')).toBe('over')
    expect(s.stateOf(validNotice({ fromDay: '2026-11-01', untilDay: '2026-12-01' }), '2026-12-01')).toBe('shown')
  })

  it('refuses a change that would name a resident, and leaves the notice as it was', async () => {
    const s = await store()
    await db.notices.put({ ...validNotice(), _v: 3 })
    expect(await refused(() => s.patch(validNotice().id, { body: '感谢欧阳娜娜' }))).toMatch(/「欧阳娜娜」/)
  })
})
