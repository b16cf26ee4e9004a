import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToEnd, scratchConfig } from '../harness/bot-process.ts';

describe('console transport (real process, sample feeds)', () => {
  it('answers /brief in both spellings, explains mistakes, and exits at end of input', async () => {
    const { configFile, storeUrl } = await scratchConfig();
    const run = await runToEnd(
      ['run', '--sample'],
      { SITREP_CONFIG: configFile, SITREP_STORE: storeUrl },
      ['/brief syria', '/brief topic:paris-attacks', '/brief narnia', '/frobnicate', '/brief', '/help', ''].join('\n'),
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
    // No error logged on the way, nor while stopping (the store closes last).
    expect(run.stderr).not.toContain('"level":50');
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain('Syria: ');
    expect(out).toContain('against the baseline "Obama, Cameron urge Putin to focus Syria attacks on Islamic State" (UPI, 2015-11-16)');
    expect(out).toMatch(/Sources: .+<https?:\/\//);
    // The Paris toll moved from the baseline's 129 to 130.
    expect(out).toMatch(/Paris attacks: \d+ stor/);
    expect(out).toMatch(/129 -> 130/);
    expect(out).toContain('"narnia" is not a topic. Topics: syria, islamic-state, russia, refugees, paris-attacks, g20.');
    expect(out).toContain('unknown command "/frobnicate"');
    expect(out).toContain('/brief needs topic: e.g. /brief topic:syria');
    expect(out).toContain('/brief: What is new about a topic');
  });

  it('stops cleanly when input ends while the first poll is still running', async () => {
    const { configFile, storeUrl } = await scratchConfig();
    const run = await runToEnd(['run', '--sample'], { SITREP_CONFIG: configFile, SITREP_STORE: storeUrl }, '/help\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('/brief: What is new about a topic');
    expect(run.stderr).not.toContain('"level":50');
  });

  it('keeps what it read across a restart', async () => {
    const { dir, configFile, storeUrl } = await scratchConfig();
    const first = await runToEnd(['run', '--sample'], { SITREP_CONFIG: configFile, SITREP_STORE: storeUrl }, '/brief syria\n');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Syria: \d+ stor/);
    // The second run reads a folder holding one unrelated feed: the Syria stories can only come from the store.
    const other = join(dir, 'other-feeds');
    await mkdir(other);
    await writeFile(
      join(other, 'weather.rss.xml'),
      '<?xml version="1.0"?><rss version="2.0"><channel><title>Weather</title><link>https://weather.example/</link>' +
        '<description>w</description><item><title>Rain in Oslo</title><guid>w1</guid>' +
        '<pubDate>Sun, 01 Nov 2015 10:00:00 GMT</pubDate><description>Rain.</description></item></channel></rss>',
    );
    const { configFile: secondConfig } = await scratchConfig((config) => {
      config['sampleFeeds'] = other;
    });
    const second = await runToEnd(['run', '--sample'], { SITREP_CONFIG: secondConfig, SITREP_STORE: storeUrl }, '/brief syria\n');
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });

  it('stops with one line naming the file and key of a bad config', async () => {
    const { configFile, storeUrl } = await scratchConfig((config) => {
      config['digest'] = { schedule: 'not cron' };
    });
    const run = await runToEnd(['run'], { SITREP_CONFIG: configFile, SITREP_STORE: storeUrl });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`sitrep: config: ${configFile}: digest.schedule: is not a valid cron expression (e.g. "*/15 * * * *")`);
  });
});
