import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import { defineComponent } from 'vue'

/** A router whose every route renders nothing: enough for RouterLink to resolve and navigate. */
export function testRouter(): Router {
  const Empty = defineComponent({ render: () => null })
  return createRouter({ history: createMemoryHistory(), routes: [{ path: '/:rest(.*)*', component: Empty }] })
}
