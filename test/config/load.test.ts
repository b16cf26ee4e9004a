import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBaselines } from '../../src/config/baselines.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { DEFAULT_CONFIG_FILE, configFileFrom, loadConfig } from '../../src/config/load.ts';

async function writeConfig(content: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sitrep-config-'));
  const file = join(dir, 'config.json');
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

async function defaultJson(): Promise<Record<string, unknown>> {
  const { config } = await loadConfig(DEFAULT_CONFIG_FILE);
  return JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
}

describe('loadConfig', () => {
  it('accepts the shipped default config with the required topics and baseline', async () => {
    const { config } = await loadConfig(DEFAULT_CONFIG_FILE);
    const ids = config.topics.map((topic) => topic.id);
    expect(ids).toEqual(['syria', 'islamic-state', 'russia', 'refugees', 'paris-attacks', 'g20']);
    const is = config.topics.find((topic) => topic.id === 'islamic-state');
    expect(is?.aliases).toEqual(expect.arrayContaining(['ISIS', 'ISIL', 'IS', 'Daesh']));
    expect(config.feeds.length).toBeGreaterThan(3);
    for (const feed of config.feeds) expect(feed.url).toMatch(/^https:\/\//);
  });

  it('loads the baseline story of every topic', async () => {
    const baselines = await loadBaselines(await loadConfig(DEFAULT_CONFIG_FILE));
    const syria = baselines.get('syria');
    expect(syria?.title).toBe('Obama, Cameron urge Putin to focus Syria attacks on Islamic State');
    expect(syria?.text).toContain('129');
    expect(syria?.text).not.toMatch(/^Advertisement$/m);
  });

  it('names the file and the key of an unknown key', async () => {
    const json = await defaultJson();
    (json['poll'] as Record<string, unknown>)['intervall'] = 5;
    const file = await writeConfig(json);
    await expect(loadConfig(file)).rejects.toThrow(`${file}: poll.intervall: unknown key`);
  });

  it('names the key of a bad value', async () => {
    const json = await defaultJson();
    (json['digest'] as Record<string, unknown>)['schedule'] = 'every tuesday-ish';
    const file = await writeConfig(json);
    const error = await loadConfig(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe('digest.schedule');
    expect((error as ConfigError).message).toContain('not a valid cron expression');
  });

  it('refuses a feed that is not http(s), naming its index', async () => {
    const json = await defaultJson();
    json['feeds'] = [{ url: 'ftp://example.org/feed.xml' }];
    await expect(loadConfig(await writeConfig(json))).rejects.toThrow('feeds[0].url: must be an http or https URL');
  });

  it('refuses a digest topic that does not exist and duplicate topic ids', async () => {
    const json = await defaultJson();
    (json['digest'] as Record<string, unknown>)['topics'] = ['syria', 'mars'];
    await expect(loadConfig(await writeConfig(json))).rejects.toThrow('digest.topics[1]: unknown topic "mars"');
  });

  it('says when the file is missing or not JSON', async () => {
    await expect(loadConfig('/nonexistent/sitrep.json')).rejects.toThrow('cannot read the file (ENOENT)');
    await expect(loadConfig(await writeConfig('{"feeds": ['))).rejects.toThrow('not valid JSON');
  });

  it('says which baseline file cannot be read', async () => {
    const json = await defaultJson();
    (json['baseline'] as Record<string, unknown>)['file'] = 'missing-story.txt';
    const file = await writeConfig(json);
    const loaded = await loadConfig(file);
    await expect(loadBaselines(loaded)).rejects.toThrow(/missing-story\.txt: cannot read the file \(ENOENT\)/);
  });

  it('takes SITREP_CONFIG when no file is named', () => {
    expect(configFileFrom({ SITREP_CONFIG: '/tmp/x.json' })).toBe('/tmp/x.json');
    expect(configFileFrom({})).toBe(DEFAULT_CONFIG_FILE);
    expect(configFileFrom({ SITREP_CONFIG: '/tmp/x.json' }, '/tmp/y.json')).toBe('/tmp/y.json');
  });
});
