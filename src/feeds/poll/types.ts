/** What a poll remembers of the last good response, to ask for and detect "unchanged". */
export interface PollState {
  etag?: string | null;
  lastModified?: string | null;
  /** sha256 (hex) of the last body parsed. */
  bodyHash?: string | null;
  /** Content hashes of the items the feed delivered before: those are not matched against topics again. */
  recentHashes?: readonly string[];
}
