import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { loadRest, translate } from './i18n'
import { useSessionStore } from './stores/session'
import { isStreetRole } from '../domain/roles'
import { useUpdateStore } from './stores/update'

// Every page is its own chunk (the first screen loads only what it shows); the service worker
// precaches them all, so every page opens instantly offline too.
const routes: RouteRecordRaw[] = [
  { path: '/login', component: () => import('./pages/LoginPage.vue'), meta: { public: true } },
  { path: '/', component: () => import('./pages/HomePage.vue') },
  { path: '/households', component: () => import('./pages/HouseholdsPage.vue') },
  { path: '/households/:id', component: () => import('./pages/HouseholdPage.vue'), props: true },
  { path: '/households/:id/visit', component: () => import('./pages/VisitPage.vue'), props: true },
  { path: '/households/:id/visit/fix/:seq', component: () => import('./pages/VisitPage.vue'), props: true },
  { path: '/cases', component: () => import('./pages/CasesPage.vue') },
  {
    path: '/cases/new',
    component: () => import('./pages/CaseNewPage.vue'),
    // From a campaign's hazard list the report comes filled in (kind, category, title, description).
    props: (r) => Object.fromEntries(['household', 'visit', 'kind', 'category', 'title', 'description'].map((k) => [k, typeof r.query[k] === 'string' ? r.query[k] : undefined])),
  },
  { path: '/cases/:id', component: () => import('./pages/CasePage.vue'), props: true },
  // The case board is the office's; a worker asking for it gets their own list.
  { path: '/board', component: () => import('./pages/BoardPage.vue'), beforeEnter: () => (useSessionStore().user?.role === 'worker' ? '/cases' : true) },
  // Statistics and exports are the office's too.
  { path: '/dashboard', component: () => import('./pages/DashboardPage.vue'), beforeEnter: () => (useSessionStore().user?.role === 'worker' ? '/' : true) },
  // Household fields two people changed at once: the office settles them (online only).
  { path: '/conflicts', component: () => import('./pages/ConflictsPage.vue'), beforeEnter: () => (useSessionStore().user?.role === 'worker' ? '/' : true) },
  // Campaigns (专项任务): made, launched and counted by the office, online. Workers walk theirs on 今日.
  { path: '/campaigns', component: () => import('./pages/CampaignsPage.vue'), beforeEnter: () => (useSessionStore().user?.role === 'worker' ? '/today' : true) },
  { path: '/campaigns/new', component: () => import('./pages/CampaignEditPage.vue'), beforeEnter: () => (useSessionStore().user?.role === 'worker' ? '/today' : true) },
  { path: '/campaigns/:id/edit', component: () => import('./pages/CampaignEditPage.vue'), props: true, beforeEnter: () => (useSessionStore().user?.role === 'worker' ? '/today' : true) },
  { path: '/campaigns/:id/notice', component: () => import('./pages/CampaignNoticePage.vue'), props: true, beforeEnter: () => (useSessionStore().user?.role === 'worker' ? '/today' : true) },
  { path: '/campaigns/:id', component: () => import('./pages/CampaignPage.vue'), props: true, beforeEnter: () => (useSessionStore().user?.role === 'worker' ? '/today' : true) },
  // 需求清单 and 项目清单 (docs/lists.md): the office's, from the device, queued like any change.
  { path: '/needs', component: () => import('./pages/NeedsPage.vue'), beforeEnter: () => (useSessionStore().user?.role === 'worker' ? '/' : true) },
  { path: '/resources', component: () => import('./pages/ResourcesPage.vue') },
  { path: '/projects', component: () => import('./pages/ProjectsPage.vue'), beforeEnter: () => (useSessionStore().user?.role === 'worker' ? '/' : true) },
  {
    path: '/projects/new',
    component: () => import('./pages/ProjectNewPage.vue'),
    props: (r) => ({ needs: typeof r.query.needs === 'string' ? r.query.needs : undefined }),
    beforeEnter: () => (useSessionStore().user?.role === 'worker' ? '/' : true),
  },
  { path: '/projects/:id', component: () => import('./pages/ProjectPage.vue'), props: true, beforeEnter: () => (useSessionStore().user?.role === 'worker' ? '/' : true) },
  // Volunteers' hours and points (记工时, 确认, 台账): the office's, from the device like the lists.
  { path: '/volunteers', component: () => import('./pages/VolunteersPage.vue'), beforeEnter: () => (useSessionStore().user?.role === 'worker' ? '/' : true) },
  // 议题 (docs/matters.md): raised, moved and funded by the office, from the device like the lists.
  // Workers see their households' matters on the household's page.
  { path: '/three-party', component: () => import('./pages/ThreePartyPage.vue'), beforeEnter: () => (useSessionStore().user?.role === 'worker' ? '/' : true) },
  { path: '/matters', component: () => import('./pages/MattersPage.vue'), beforeEnter: () => (useSessionStore().user?.role === 'worker' ? '/' : true) },
  // 公告 and each compound's QR sheet (docs/public.md): the office's.
  { path: '/notices', component: () => import('./pages/NoticesPage.vue'), beforeEnter: () => (useSessionStore().user?.role === 'worker' ? '/' : true) },
  { path: '/notices/posters', component: () => import('./pages/NoticePostersPage.vue'), beforeEnter: () => (useSessionStore().user?.role === 'worker' ? '/' : true) },
  {
    path: '/matters/new',
    component: () => import('./pages/MatterNewPage.vue'),
    // Raised from a need, a case or a campaign's answer: that is its origin.
    props: (r) => Object.fromEntries(['need', 'case', 'campaign', 'visit'].map((k) => [k, typeof r.query[k] === 'string' ? r.query[k] : undefined])),
    beforeEnter: () => (useSessionStore().user?.role === 'worker' ? '/' : true),
  },
  { path: '/matters/:id', component: () => import('./pages/MatterPage.vue'), props: true, beforeEnter: () => (useSessionStore().user?.role === 'worker' ? '/' : true) },
  { path: '/street', component: () => import('./pages/StreetPage.vue') },
  { path: '/attention', component: () => import('./pages/AttentionPage.vue') },
  { path: '/settings', component: () => import('./pages/SettingsPage.vue') },
  { path: '/today', component: () => import('./pages/TodayPage.vue') },
  { path: '/admin/rules', component: () => import('./pages/AdminRulesPage.vue') },
  // Users, register import and the audit log: the admin's, online only (the pages say so to anyone else).
  { path: '/admin/users', component: () => import('./pages/AdminUsersPage.vue') },
  { path: '/admin/import', component: () => import('./pages/AdminImportPage.vue') },
  { path: '/admin/register', component: () => import('./pages/AdminRegisterPage.vue') },
  { path: '/admin/audit', component: () => import('./pages/AdminAuditPage.vue') },
  { path: '/admin/templates', component: () => import('./pages/AdminTemplatesPage.vue') },
  // Maps load Leaflet: only these two routes (their own chunks) may import it. A worker asking
  // for the community map gets the map of their own cells.
  {
    path: '/map',
    component: () => import('./pages/MapPage.vue'),
    props: (r) => ({ focus: typeof r.query.focus === 'string' ? r.query.focus : undefined }),
    beforeEnter: (to) => (useSessionStore().user?.role === 'worker' ? { path: '/worker-map', query: to.query } : true),
  },
  { path: '/worker-map', component: () => import('./pages/WorkerMapPage.vue'), props: (r) => ({ focus: typeof r.query.focus === 'string' ? r.query.focus : undefined }) },
  { path: '/:rest(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach((to, from) => {
  const session = useSessionStore()
  if (!to.meta.public && !session.user) return { path: '/login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  // The street office's staff have one page (and their settings): no community's records.
  if (isStreetRole(session.user?.role) && to.path !== '/street' && to.path !== '/settings' && !to.meta.public) return '/street'
  // Leaving a half-filled form loses what was typed: ask first.
  if (from.matched.length && to.path !== from.path && useUpdateStore().hasUnsaved && !window.confirm(translate('device.leaveUnsaved'))) return false
  return true
})

// The first screen (login, home) speaks with the words it ships with; every other page waits
// for the rest of them (i18n/index.ts), which are usually there already. If they cannot come
// (offline before the app was installed), the page opens anyway, with its keys showing.
router.beforeResolve(async (to) => {
  if (to.path !== '/' && to.path !== '/login') await loadRest().catch(() => undefined)
})
