import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runToEnd, scratchConfig } from '../harness/bot-process.ts';

/*
 * The console runs the same handlers as Discord: one piped session (one process) takes every
 * command and subcommand, and the answers come back as plain text in order.
 */
describe('every command in the console (real process, sample feeds)', () => {
  it('answers each command and subcommand, and explains mistakes', async () => {
    const { configFile, storeUrl } = await scratchConfig();
    const pasted = 'Greek officials said 700000 refugees had reached the islands this year. '.repeat(10);
    const lines = [
      '/brief syria detail:full',
      '/brief syria since:2015-12-08',
      '/brief syria since:someday',
      '/trend syria days:30',
      '/watch add syria "Palmyra ruins"',
      '/watch list syria',
      '/watch explain "Fighting near the Palmyra ruins as Russian jets return"',
      '/watch remove syria "Palmyra ruins"',
      '/feeds list',
      '/feeds add ftp://example.com/feed',
      '/feeds test https://127.0.0.1:1/feed.xml',
      '/feeds remove https://nowhere.example/feed',
      '/digest set channel:news schedule:"weekdays 18:30" timezone:europe/london topics:"syria refugees"',
      '/digest show',
      '/digest set channel:news schedule:"every 5 minutes" timezone:UTC',
      '/digest off channel:news',
      '/digest now channel:news',
      '/baseline show syria',
      `/baseline set refugees title:"Refugee arrivals in Greece pass 700000" text:"${pasted}"`,
      '/baseline show refugees',
      '/baseline reset refugees',
      '/status',
      '/admin-role show',
      '/help',
      '',
    ];
    const run = await runToEnd(['run', '--sample'], { SITREP_CONFIG: configFile, SITREP_STORE: storeUrl }, lines.join('\n'));
    const out = run.stdout;
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(0);

    expect(out).toMatch(/-- page 1 of \d+ --/);
    expect(out).toMatch(/-- page 2 of \d+ --/);
    expect(out).toContain('Reported: ');
    expect(out).toMatch(/Syria: \d+ stor(y|ies) new against/);
    expect(out).toContain('"someday" is not a duration or a date (e.g. since:6h, since:3d');

    const file = /File: trend-syria-[\d-]+\.png \(image\/png, \d+ bytes\) written to (\S+\.png)/.exec(out);
    expect(file).not.toBeNull();
    const png = await readFile(file?.[1] ?? '');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');

    expect(out).toContain('Watching "Palmyra ruins" for Syria in this server.');
    expect(out).toContain("This server's own: Palmyra ruins");
    expect(out).toContain("By this server's keywords: Palmyra ruins");
    expect(out).toContain('By its keywords: Russian');
    expect(out).toContain('Stopped watching "Palmyra ruins"');

    expect(out).toContain('This server has no feeds of its own yet');
    expect(out).toContain('That is not an http or https feed address. cannot fetch ftp://example.com/feed: the ftp scheme is not supported');
    expect(out).toContain('That feed points at a private or local address');
    expect(out).toContain('This server has no such feed.');

    expect(out).toContain('Schedule: weekdays 18:30 (cron 30 18 * * 1-5, Europe/London)');
    expect(out).toContain('Topics: syria, refugees');
    expect(out).toContain('"every 5 minutes": minutes must be 15, 20, 30 or 60');
    expect(out).toContain('Turned off the digest for channel news');
    expect(out).toContain('There is no digest set up there.');

    expect(out).toContain('1. Obama, Cameron urge Putin to focus Syria attacks on Islamic State (2015-11-16)');
    expect(out).toContain('People: Barack Obama, David Cameron, Vladimir Putin');
    expect(out).toContain('Refugees is now compared with "Refugee arrivals in Greece pass 700000" (pasted');
    expect(out).toContain('1. Refugee arrivals in Greece pass 700000');
    expect(out).toContain('Reset Refugees is compared with the configured baseline');

    expect(out).toMatch(/Feeds: \d+ healthy, 0 failing/);
    expect(out).toContain('Version: 0.1.0');
    expect(out).toContain('Only members with Manage Server may change sitrep settings here');
    expect(out).toContain('/watch add|remove|list|explain: ');
  });
});
