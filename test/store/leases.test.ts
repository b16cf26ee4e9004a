import { describe, expect, it } from 'vitest';
import { createLocalLeases } from '../../src/store/index.ts';

describe('local leases', () => {
  it('gives a lease to one owner until it expires or is released', async () => {
    let clock = 1_000;
    const leases = createLocalLeases(() => clock);
    expect(await leases.acquire('feed:a', 'p1', 100)).toBe(true);
    expect(await leases.acquire('feed:a', 'p2', 100)).toBe(false);
    expect(await leases.acquire('feed:a', 'p1', 100)).toBe(true);
    clock += 50;
    expect(await leases.renew('feed:a', 'p1', 100)).toBe(true);
    clock += 120;
    expect(await leases.renew('feed:a', 'p1', 100)).toBe(false);
    expect(await leases.acquire('feed:a', 'p2', 100)).toBe(true);
    await leases.release('feed:a', 'p1');
    expect(await leases.acquire('feed:a', 'p1', 100)).toBe(false);
    await leases.release('feed:a', 'p2');
    expect(await leases.acquire('feed:a', 'p1', 100)).toBe(true);
  });
});
