import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeedSource } from '../feeds/types.ts';
import { SitrepError } from '../errors.ts';

const FEED_FILE = /\.(xml|rss|atom|rdf|json)$/i;

/** The bundled offline feeds: every feed file in the sample folder, read through the normal parse path. */
export async function listSampleFeeds(dir: string): Promise<FeedSource[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new SitrepError('sample.unreadable', `sample: cannot read the sample feeds folder ${dir}`, { cause: error });
  }
  const files = names.filter((name) => FEED_FILE.test(name)).sort();
  if (files.length === 0) throw new SitrepError('sample.empty', `sample: no feed files in ${dir}`);
  // No configured name: the feed's own title names the outlet, as it would over HTTP.
  return files.map((name) => ({ url: join(dir, name) }));
}
