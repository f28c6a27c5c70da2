import { ZoufangDb } from './database'

/** The app's one database connection. */
export const db = new ZoufangDb()
