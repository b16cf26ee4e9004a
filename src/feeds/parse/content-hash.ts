import { hash } from 'node:crypto';
import type { Item } from '../../news/types.ts';

/**
 * What an item says, independent of its id: a feed that hands out new guids for old stories on
 * every request (some CMSs do) still hashes the same. The date is left out because such feeds
 * often stamp every item with the time of the request. Computed where the feed is parsed (a
 * worker thread in the bot), so the thread that stores items does not hash their text.
 */
export function contentHash(item: Pick<Item, 'title' | 'link' | 'text'>): string {
  return hash('sha1', `${item.title}\n${item.link ?? ''}\n${item.text.slice(0, 2_000)}`, 'hex').slice(0, 16);
}
