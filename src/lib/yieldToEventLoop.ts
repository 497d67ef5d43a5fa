/**
 * Lets queued messages (a Cancel, a progress reply) run between chunks of long worker loops: awaiting
 * already-resolved reads only queues microtasks, which never let the event loop take a message.
 * Cheap: it yields at most once per `everyMs`.
 */
export function eventLoopYielder(everyMs = 25): () => Promise<void> {
  let last = performance.now();
  return async () => {
    const now = performance.now();
    if (now - last < everyMs) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    last = performance.now();
  };
}
