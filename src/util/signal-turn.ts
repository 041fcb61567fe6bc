/**
 * Lets signals that arrived during synchronous work (hashing) reach their handlers. A signal is
 * seen when the event loop polls; an immediate queued now may run before the next poll, so two
 * turns are taken.
 */
export async function letPendingSignalsRun(): Promise<void> {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
}
