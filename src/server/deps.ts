import type { Deployment } from './deployment'
import type { Authenticate } from './http'

/** What every group of routes is given by buildApp (app.ts). Its own module: app.ts imports every
 *  route, so a route importing this type from app.ts would close a circle. */
export interface Deps {
  deployment: Deployment
  authenticate: Authenticate
  attachmentsDir: string
}
