import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it, vi } from 'vitest'
import { db } from '../../src/app/db/instance'
import ThreePartyPage from '../../src/app/pages/ThreePartyPage.vue'
import { ids, validBuilding, validCase, validGridCell, validHousehold, validTeam, validUser } from '../support/fixtures'
import { testRouter } from './helpers'

// 三方议事 as the secretary opens it: the compound, the case 物业 is handling, and whose turn it is.

describe('ThreePartyPage', () => {
  it('lists the compound’s case handled by 物业 with whose turn it is and by when, linking to the case', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user: validUser({ role: 'secretary' }) }))
    await db.gridCells.put(validGridCell())
    await db.buildings.put(validBuilding())
    await db.households.put(validHousehold())
    await db.teams.put(validTeam())
    await db.cases.put(validCase({ title: '电梯停运三天', state: 'assigned', handlerTeamId: ids.team, deadline: '2026-11-27T02:00:00.000Z' }))
    const w = mount(ThreePartyPage, { global: { plugins: [pinia, testRouter()] } })
    await vi.waitFor(() => expect(w.findAll('[data-testid="three-party-item"]')).toHaveLength(1))
    expect(w.get('[data-testid="three-party-compound"]').attributes('data-compound')).toBe(validBuilding().compound)
    const item = w.get('[data-testid="three-party-item"]')
    expect(item.text()).toContain('电梯停运三天')
    expect(item.text()).toContain('物业')
    expect(item.get('[data-testid="three-party-next"]').text()).toBe('该物业公司办')
    expect(item.text()).toContain('限 2026-11-27 前办完')
    expect(item.get('a').attributes('href')).toBe(`/cases/${validCase().id}`)
  })

  it('says so when nothing open involves 物业 or 业委会', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user: validUser({ role: 'secretary' }) }))
    const w = mount(ThreePartyPage, { global: { plugins: [pinia, testRouter()] } })
    await vi.waitFor(() => expect(w.find('[data-testid="three-party-empty"]').exists()).toBe(true))
  })
})
