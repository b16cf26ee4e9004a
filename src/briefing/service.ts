import type { Config } from '../config/schema.ts';
import type { Baseline, TopicDef } from '../news/types.ts';
import type { Store, StoredItem } from '../store/index.ts';
import { briefWindow, composeBrief, type Brief } from './brief.ts';

/** The key of a guild's own topic index: items that matched only that guild's extra keywords. */
export function guildTopicKey(guildId: string, topicId: string): string {
  return `g:${guildId}:${topicId}`;
}

export interface BriefRequest {
  /** The guild asking (its watches and baseline apply); null in a DM or the console. */
  guildId: string | null;
  /** Items published before this are not new; the default is the later of the baseline date and the lookback. */
  since?: Date | null;
  /** How many stories to return (for paging); the config's brief.maxStories by default. */
  maxStories?: number;
}

export interface BriefService {
  brief(topic: TopicDef, request: BriefRequest): Promise<Brief>;
  /** The baseline a topic is compared with for a guild: its own from /baseline set, else the config's. */
  baselineFor(topicId: string, guildId: string | null): Promise<Baseline | undefined>;
}

export function createBriefService(deps: {
  store: Store;
  config: Pick<Config, 'brief'>;
  baselines: ReadonlyMap<string, Baseline>;
  now: () => Date;
}): BriefService {
  const baselineFor = async (topicId: string, guildId: string | null): Promise<Baseline | undefined> => {
    if (guildId) {
      const own = (await deps.store.guilds.get(guildId)).baselines[topicId];
      if (own) {
        return {
          id: `guild-baseline:${guildId}:${topicId}:${own.setAt}`,
          title: own.title,
          text: own.text,
          published: own.published,
          source: own.source,
          link: own.url,
        };
      }
    }
    return deps.baselines.get(topicId);
  };
  return {
    baselineFor,
    async brief(topic, request) {
      const baseline = await baselineFor(topic.id, request.guildId);
      if (!baseline) throw new Error(`briefing: topic ${topic.id} has no baseline`);
      const now = deps.now();
      const since = (request.since ?? briefWindow(baseline, now, deps.config.brief.lookbackDays).from).toISOString();
      const lists = await Promise.all([
        deps.store.items.listByTopic(topic.id, { since }),
        request.guildId ? deps.store.items.listByTopic(guildTopicKey(request.guildId, topic.id), { since }) : [],
      ]);
      const byKey = new Map<string, StoredItem>();
      for (const item of lists.flat()) byKey.set(item.key, item);
      return composeBrief([...byKey.values()], topic, baseline, {
        now,
        lookbackDays: deps.config.brief.lookbackDays,
        maxStories: request.maxStories ?? deps.config.brief.maxStories,
        storyWindowHours: deps.config.brief.storyWindowHours,
        since: request.since ?? null,
      });
    },
  };
}
