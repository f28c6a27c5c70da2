import type { RouteOptions } from 'fastify'

/** Fastify with its factory wrapped so that every route an app built by it declares (plugins
 *  included) is noted in `registered`: tests that go over the real route list mock 'fastify' with
 *  this (`vi.mock('fastify', async (orig) => (await import('../support/routeList')).withRouteList(await orig(), registered))`). */
export function withRouteList<F extends typeof import('fastify')>(real: F, registered: Array<{ method: string; url: string }>): F {
  const factory = real.default
  const wrapped = ((options?: Parameters<typeof factory>[0]) => {
    const app = factory(options)
    app.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat()) registered.push({ method, url: route.url })
    })
    return app
  }) as typeof factory
  return { ...real, default: wrapped, fastify: wrapped }
}
