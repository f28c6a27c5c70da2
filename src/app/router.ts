import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSessionStore } from './stores/session'

// Pages are split per route except the worker's first screens, which must open instantly offline.
const routes: RouteRecordRaw[] = [
  { path: '/login', component: () => import('./pages/LoginPage.vue'), meta: { public: true } },
  { path: '/', component: () => import('./pages/HomePage.vue') },
  { path: '/households', component: () => import('./pages/HouseholdsPage.vue') },
  { path: '/households/:id', component: () => import('./pages/HouseholdPage.vue'), props: true },
  { path: '/households/:id/visit', component: () => import('./pages/VisitPage.vue'), props: true },
  { path: '/households/:id/visit/fix/:seq', component: () => import('./pages/VisitPage.vue'), props: true },
  { path: '/attention', component: () => import('./pages/AttentionPage.vue') },
  { path: '/settings', component: () => import('./pages/SettingsPage.vue') },
  { path: '/:rest(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach((to) => {
  const session = useSessionStore()
  if (!to.meta.public && !session.user) return { path: '/login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  return true
})
