import { StoryIndex } from '../news/index.ts';
import type { Doc } from '../news/types.ts';
import { storiesCreated } from '../ops/metrics.ts';
import type { Store, StoredItem } from '../store/index.ts';

export interface StoryTracker {
  /** Rebuilds the open stories from the items of the last window, so a restart keeps grouping into them. */
  warmUp(topicKeys: ReadonlyArray<string>, now: Date): Promise<number>;
  /** Queues newly stored items that matched a topic; they are grouped at the next `flush`. */
  track(items: ReadonlyArray<StoredItem>): Promise<void>;
  /**
   * Groups the queued items into stories, oldest first, and records each item's story. Called once
   * a poll round is over: grouping a whole round in published order gives steadier stories than
   * grouping feed by feed in whatever order the feeds answered.
   */
  flush(): Promise<number>;
}

/** Items grouped between two turns of the event loop. */
const ITEMS_PER_SLICE = 64;

function docOf(item: StoredItem): Doc {
  return { id: item.key, title: item.title, text: item.text, published: item.published, source: item.source, link: item.link };
}

/**
 * Stories are formed once, as items arrive, and stored with the items: a brief then only groups
 * by the recorded story instead of clustering thousands of items on every request.
 */
export function createStoryTracker(store: Store, options: { windowHours: number }): StoryTracker {
  let index = new StoryIndex({ windowHours: options.windowHours });
  /**
   * With a shared store, other processes poll other feeds and group their items with their own
   * index. Before grouping, a tracker reads the items the others grouped since it last looked (the
   * store's story log) into its index with the stories they were given, so an item here joins a
   * story started elsewhere instead of opening a second one.
   */
  const shared = store.kind !== 'sqlite';
  let logHour = new Date().toISOString().slice(0, 13);
  // Items in the index, with their publication time, so the log's items are read once.
  const known = new Map<string, string>();
  // After a restart the index names a replayed story after its first replayed item, which may not
  // be the story's real seed: map such names back to the story id already recorded.
  const aliases = new Map<string, string>();
  const queue: StoredItem[] = [];
  // Open stories this process has counted, so the metric counts each new story once.
  const open = new Set<string>();
  let flushing: Promise<unknown> = Promise.resolve();

  const assign = async (items: ReadonlyArray<StoredItem>): Promise<Map<string, string>> => {
    const assignments = new Map<string, string>();
    const ordered = [...items].sort((a, b) => a.published.localeCompare(b.published) || a.key.localeCompare(b.key));
    for (const [position, item] of ordered.entries()) {
      // Grouping costs a few hundred microseconds an item, and a first poll round can bring tens
      // of thousands: let commands and polls run between slices instead of after seconds.
      if (position > 0 && position % ITEMS_PER_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      known.set(item.key, item.published);
      const named = index.add(docOf(item));
      if (!open.has(named)) {
        open.add(named);
        if (!item.story) storiesCreated.inc();
      }
      if (item.story && !aliases.has(named)) aliases.set(named, item.story);
      assignments.set(item.key, aliases.get(named) ?? named);
    }
    return assignments;
  };

  return {
    async warmUp(topicKeys, now) {
      index = new StoryIndex({ windowHours: options.windowHours });
      aliases.clear();
      open.clear();
      known.clear();
      logHour = now.toISOString().slice(0, 13);
      const since = new Date(now.getTime() - options.windowHours * 3_600_000).toISOString();
      const recent = new Map<string, StoredItem>();
      for (const key of topicKeys) {
        for (const item of await store.items.listByTopic(key)) {
          if (item.published >= since) recent.set(item.key, item);
        }
      }
      const assignments = await assign([...recent.values()]);
      const missing = new Map([...assignments].filter(([key]) => !recent.get(key)?.story));
      if (missing.size > 0) await store.items.setStories(missing);
      return recent.size;
    },
    track(items) {
      // Stories serve topic briefs and digests, and warmUp rebuilds them from topic indexes only:
      // an item that matched no topic is never shown, and grouping it (the costliest step per
      // item) would only make stories differ before and after a restart.
      for (const item of items) if (item.topics.length > 0) queue.push(item);
      return Promise.resolve();
    },
    flush() {
      // One flush at a time: a flush yields between slices, and two interleaved would feed the
      // index out of publication order.
      const run = flushing.then(flushQueued);
      flushing = run.catch(() => undefined);
      return run;
    },
  };

  async function flushQueued(): Promise<number> {
    const batch = queue.splice(0, queue.length);
    if (shared) {
      const { items, nextHour } = await store.items.groupedSince(logHour, (key) => known.has(key));
      logHour = nextHour;
      // Their stories are recorded already: they only join this index.
      const mine = new Set(batch.map((item) => item.key));
      await assign(items.filter((item) => !mine.has(item.key)));
    }
    if (batch.length === 0) return 0;
    await store.items.setStories(await assign(batch));
    // Stories whose window has passed cannot take new items: let them go, so a bot that runs
    // for months holds only its open stories in memory.
    const newest = batch.reduce((max, item) => (item.published > max ? item.published : max), '');
    if (newest) {
      for (const closed of index.prune(new Date(newest))) {
        open.delete(closed);
        aliases.delete(closed);
      }
      const oldest = new Date(new Date(newest).getTime() - options.windowHours * 3_600_000).toISOString();
      for (const [key, published] of known) if (published < oldest) known.delete(key);
    }
    return batch.length;
  }
}
