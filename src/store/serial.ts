/**
 * Runs read-modify-write sections one at a time within this process, so two polls finishing
 * together cannot lose each other's index updates. (Cross-process safety comes with the
 * shared-store backends, which use the store's own atomic primitives.)
 */
export type Exclusive = <T>(work: () => Promise<T>) => Promise<T>;

export function serial(): Exclusive {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}
