import { AppError } from './appError'
import { isUniqueViolation } from './store/errors'
import {
  type CommunityEntry,
  type CommunityKind,
  communityOfUsername,
  deleteAccount,
  deleteCommunity,
  insertAccount,
  insertCommunity,
  listCommunities,
  MAIN_COMMUNITY,
  migrateDirectory,
} from './store/directory'
import { openCommunityStore, type Store } from './store/open'
import { usernameTaken } from './store/users'

// A deployment holds one community or a street of them (docs/communities.md). Each community has
// a store of its own — the main store's tables for the first, a SQLite file or a PostgreSQL
// schema for each other — so a query can reach one community's records only, and each counts
// its own versions. The street office is one more such store, holding its users only.

export interface Deployment {
  /** The first community's store, which also holds the directory. */
  readonly main: Store
  /** The communities and the street office, in the order they were added. */
  communities(): readonly CommunityEntry[]
  /** A community's store by key; a NOT_FOUND error when there is none (another app server may
   *  have added it since we looked: the directory is read again before saying so). */
  storeOf(key: string): Promise<Store>
  /** The directory read again: communities another app server added since are in it. */
  refresh(): Promise<readonly CommunityEntry[]>
  /** Adds a community (or the street office) with a migrated store, which `init` fills (one
   *  transaction of its own, say). The key is claimed first, in the directory: a second add of
   *  the same key, on any app server, fails there on the unique key (store/errors.ts) before it
   *  touches the store. If the store cannot be opened or `init` fails, the key is given back. */
  add(entry: { key: string; name: string; kind?: CommunityKind }, now?: Date, init?: (store: Store) => Promise<void>): Promise<Store>
  /** The community a username belongs to, for login. */
  communityOf(username: string): Promise<string>
  /** Takes a username for a community, deployment-wide: usernames are unique across the street
   *  (login asks for nothing else). Returns how to give it back if the account is not made. */
  claimUsername(username: string, key: string): Promise<() => Promise<void>>
  /** Closes every store; with `keepMain`, all but the main one (its opener closes it). */
  destroy(opts?: { keepMain?: boolean }): Promise<void>
}

export async function openDeployment(main: Store): Promise<Deployment> {
  await migrateDirectory(main)
  let entries = await listCommunities(main)
  if (!entries.some((e) => e.key === MAIN_COMMUNITY)) {
    const first: CommunityEntry = { key: MAIN_COMMUNITY, name: '', kind: 'community', createdAt: new Date(0).toISOString() }
    await insertCommunity(main, first).catch((err: unknown) => {
      if (!isUniqueViolation(err)) throw err // another app server wrote it first
    })
    entries = await listCommunities(main)
  }
  const stores = new Map<string, Promise<Store>>([[MAIN_COMMUNITY, Promise.resolve(main)]])
  const open = (key: string) => {
    let s = stores.get(key)
    if (!s) {
      s = openCommunityStore(main, key)
      stores.set(key, s)
      s.catch(() => stores.delete(key))
    }
    return s
  }
  for (const e of entries) await open(e.key)

  return {
    main,
    communities: () => entries,
    async storeOf(key) {
      if (!entries.some((e) => e.key === key)) entries = await listCommunities(main)
      if (!entries.some((e) => e.key === key)) throw new AppError('NOT_FOUND', '没有这个社区')
      return open(key)
    },
    async refresh() {
      return (entries = await listCommunities(main))
    },
    async add({ key, name, kind = 'community' }, now = new Date(), init) {
      await insertCommunity(main, { key, name, kind, createdAt: now.toISOString() })
      try {
        const store = await open(key)
        await init?.(store)
        return store
      } catch (err) {
        // The key goes back; if even that fails, the caller finds it still listed (and keeps
        // what it claimed for it: see services/communities.ts).
        await deleteCommunity(main, key).catch(() => undefined)
        throw err
      } finally {
        // A directory that cannot be read just now must not turn a made community into an error.
        entries = await listCommunities(main).catch(() => entries)
      }
    },
    async communityOf(username) {
      return (await communityOfUsername(main, username)) ?? MAIN_COMMUNITY
    },
    async claimUsername(username, key) {
      const taken = () => new AppError('ID_TAKEN', `用户名“${username}”已被使用`)
      // The main community's usernames are its own table's; every other one is in the directory.
      if ((await communityOfUsername(main, username)) !== null) throw taken()
      if (key === MAIN_COMMUNITY) return async () => undefined
      if (await usernameTaken(main, username)) throw taken()
      try {
        await insertAccount(main, username, key)
      } catch (err) {
        if (isUniqueViolation(err)) throw taken()
        throw err
      }
      return () => deleteAccount(main, username)
    },
    async destroy({ keepMain = false } = {}) {
      const all = await Promise.allSettled(stores.values())
      stores.clear()
      // The main store last: on PostgreSQL the others run over its pool.
      for (const s of all) if (s.status === 'fulfilled' && s.value !== main) await s.value.destroy()
      if (!keepMain) await main.destroy()
    },
  }
}
