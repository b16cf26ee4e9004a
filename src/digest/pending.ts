import { SitrepError } from '../errors.ts';
import type { DigestService } from '../chat/command.ts';

/**
 * Until scheduled delivery is wired in, /digest now says so plainly instead of pretending, and no
 * digest is ever due.
 */
export function digestsNotRunning(): DigestService {
  return {
    runNow: () =>
      Promise.reject(new SitrepError('digest.unavailable', 'digest: scheduled delivery is not running in this process')),
    nextRun: () => Promise.resolve(null),
    failedDigests: () => Promise.resolve([]),
  };
}
