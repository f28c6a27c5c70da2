import type { PullResponse } from '../../domain'
import { unreadable } from '../api/client'
import type { Transport } from '../api/sync'

/** Pages asked for and not yet taken, at most: the one the device is about to write and the next.
 *  A first sync's pages come faster than a phone writes them; more would only wait in memory. */
export const PAGES_AHEAD = 2

interface Asked {
  answer: Promise<PullResponse>
  /** The next page's cursor, as the answer's headers named it (PULL_NEXT_HEADER). */
  next?: string
  nextAsked: boolean
}

export interface FirstAsk {
  cursor?: string
  limit: number
  /** Ask the server how many records are to come (PullResponse.total). */
  count: boolean
}

/** The pages of one pull, asked for as fast as the server answers them rather than as fast as the
 *  device writes them. The server names the next page's cursor in its answer's headers, so the
 *  next request goes out as soon as those are in — before this answer's body is read, parsed and
 *  written (on this machine that was ~20 ms per page of 2,000 records, and the 60 ms a new phone
 *  spends opening its database and drawing the home page before the engine takes the first
 *  page; bench/firstSync.ts). Pages are taken in order, one at a time; an answer must carry the
 *  cursor its headers named, or the pull stops there as unreadable (nothing of it is written).
 *  A transport that never names the next cursor (an older server) gets each next request when
 *  the page before it is taken: the engine's old way. A page not taken is dropped unread. */
export class PullPages {
  private readonly waiting: Asked[] = []
  private last: Asked | undefined
  private stopped = false

  constructor(
    private readonly transport: Transport,
    private readonly limit: number,
    first: FirstAsk,
  ) {
    this.ask(first.cursor, first.limit, first.count)
  }

  /** The next page, in order. */
  async take(): Promise<PullResponse> {
    const asked = this.waiting.shift()
    if (!asked) throw new Error('PullPages.take: the pull is over')
    this.askAhead()
    let res: PullResponse
    try {
      res = await asked.answer
    } catch (err) {
      this.stop()
      throw err
    }
    // The page with more behind it; a last page, or a reset (start over), ends this pull.
    const more = 'changes' in res && res.hasMore ? res : null
    if (asked.next !== undefined && more?.cursor !== asked.next) {
      this.stop()
      throw unreadable(`下一页的位置前后不一致（${asked.next} / ${more?.cursor ?? '无'}）`)
    }
    if (!more) this.stop()
    else if (!asked.nextAsked) this.ask(more.cursor, this.limit, false)
    return res
  }

  /** No more requests: what is in flight is dropped unread. */
  stop(): void {
    this.stopped = true
  }

  private ask(cursor: string | undefined, limit: number, count: boolean): void {
    // In the queue before the request goes (its answer is set just below): its headers may name
    // the next page at any moment.
    const asked = { nextAsked: false } as Asked
    this.waiting.push(asked)
    this.last = asked
    asked.answer = this.transport.pull(cursor, limit, count, (next) => {
      asked.next = next
      this.askAhead()
    })
    asked.answer.catch(() => undefined) // awaited by take(), or dropped unread
  }

  /** Asks for the page after the latest one asked, once the server has named it and there is room. */
  private askAhead(): void {
    const last = this.last
    if (this.stopped || !last || last.next === undefined || last.nextAsked || this.waiting.length >= PAGES_AHEAD) return
    last.nextAsked = true
    this.ask(last.next, this.limit, false)
  }
}
