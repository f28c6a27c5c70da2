import type { Transaction } from 'kysely'
import type { Mutation } from '../../domain'
import type { Database } from '../store/schema'
import type { SessionUser } from './auth'

// The shape of one entity's handler of a pushed mutation. Its own module: push.ts imports every
// handler (its registry), so the handlers take their type from here, not from push.ts.

export interface Applied {
  /** `duplicate`: the record the mutation would make exists already, made by the same sender
   *  from the same input under another mutation id (a need queued twice): nothing was written. */
  status: 'applied' | 'conflict' | 'duplicate'
  version: number
}

/** `deviceId` is the pushing device's: a device's own successive edits never conflict. */
export type MutationHandler = (trx: Transaction<Database>, user: SessionUser, m: Mutation, now: string, deviceId: string) => Promise<Applied>
