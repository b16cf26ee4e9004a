import { z } from 'zod';
import { validate as validateCron } from 'node-cron';

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lower-case letters, digits and dashes, e.g. "syria"');

const cron = z.string().refine((value) => validateCron(value), {
  message: 'is not a valid cron expression (e.g. "*/15 * * * *")',
});

const timezone = z.string().refine(
  (value) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not an IANA time zone (e.g. "Europe/London")' },
);

const feedUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//i.test(value), { message: 'must be an http or https URL' });

export const topicSchema = z
  .object({
    id: slug,
    name: z.string().min(1).max(60),
    keywords: z.array(z.string().min(1).max(80)).min(1),
    aliases: z.array(z.string().min(1).max(80)).default([]),
    exclude: z.array(z.string().min(1).max(80)).default([]),
    /** A baseline file for this topic only; the global baseline otherwise. */
    baseline: z.string().min(1).optional(),
  })
  .strict();

export const baselineSchema = z
  .object({
    /** Path of the story text, relative to the config file. First real line is its headline. */
    file: z.string().min(1),
    source: z.string().min(1).default('unknown'),
    /** Date of the story (YYYY-MM-DD or ISO); items are compared with it as the reference point. */
    published: z.string().refine((v) => !Number.isNaN(Date.parse(v)), { message: 'is not a date' }),
    url: z.string().url().optional(),
  })
  .strict();

export const configSchema = z
  .object({
    feeds: z.array(z.object({ url: feedUrl, name: z.string().min(1).max(100).optional() }).strict()),
    /** Directory of offline sample feeds used with --sample, relative to the config file. */
    sampleFeeds: z.string().min(1).default('sample-feeds'),
    topics: z.array(topicSchema).min(1),
    baseline: baselineSchema,
    poll: z
      .object({
        timeoutSeconds: z.number().int().min(1).max(120).default(15),
        maxBytes: z.number().int().min(10_000).max(100_000_000).default(5_000_000),
        concurrency: z.number().int().min(1).max(64).default(4),
        allowPrivateAddresses: z.boolean().default(false),
        userAgent: z.string().min(1).default('sitrep/0.1 (+https://github.com/sitrep-bot/sitrep)'),
        /** How often each feed is polled; its ttl or cache headers may stretch this, up to 24 h. */
        intervalMinutes: z.number().int().min(1).max(24 * 60).default(15),
        /** Requests to one host at once, to be polite to sites with many feeds. */
        perHost: z.number().int().min(1).max(16).default(2),
        /** Failures in a row after which a feed is paused (kept, not polled) and its guilds are told. */
        pauseAfterFailures: z.number().int().min(1).max(1_000).default(10),
        /** How often the scheduler looks for due feeds, seconds. */
        tickSeconds: z.number().int().min(1).max(300).default(5),
        /** Worker threads that parse feeds; null: one per core beyond the first; 0: parse in the main thread. */
        parseThreads: z.number().int().min(0).max(32).nullable().default(null),
      })
      .strict()
      .default({
        timeoutSeconds: 15,
        maxBytes: 5_000_000,
        concurrency: 4,
        allowPrivateAddresses: false,
        userAgent: 'sitrep/0.1 (+https://github.com/sitrep-bot/sitrep)',
        intervalMinutes: 15,
        perHost: 2,
        pauseAfterFailures: 10,
        tickSeconds: 5,
        parseThreads: null,
      }),
    brief: z
      .object({
        maxStories: z.number().int().min(1).max(10).default(5),
        /** Only items of the last N days count as new (the baseline date is the other bound). */
        lookbackDays: z.number().int().min(1).max(100_000).default(7),
        /** Items of one story must fall within this many hours of each other. */
        storyWindowHours: z.number().int().min(1).max(24 * 30).default(72),
      })
      .strict()
      .default({ maxStories: 5, lookbackDays: 7, storyWindowHours: 72 }),
    digest: z
      .object({
        schedule: cron,
        timezone: timezone.default('UTC'),
        topics: z.array(slug).default([]),
      })
      .strict(),
    /**
     * Items kept per topic for briefs (older ones are dropped from the topic index), and days an
     * item's record is kept after it was stored.
     */
    retention: z
      .object({
        itemsPerTopic: z.number().int().min(10).max(100_000).default(2_000),
        itemDays: z.number().int().min(1).max(3_650).default(30),
      })
      .strict()
      .default({ itemsPerTopic: 2_000, itemDays: 30 }),
  })
  .strict()
  .superRefine((config, ctx) => {
    const ids = new Set<string>();
    config.topics.forEach((topic, index) => {
      if (ids.has(topic.id)) {
        ctx.addIssue({ code: 'custom', path: ['topics', index, 'id'], message: `duplicate topic id "${topic.id}"` });
      }
      ids.add(topic.id);
    });
    config.digest.topics.forEach((id, index) => {
      if (!ids.has(id)) {
        ctx.addIssue({ code: 'custom', path: ['digest', 'topics', index], message: `unknown topic "${id}"` });
      }
    });
  });

export type Config = z.infer<typeof configSchema>;
export type TopicConfig = z.infer<typeof topicSchema>;
