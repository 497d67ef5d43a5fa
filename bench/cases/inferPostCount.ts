/**
 * Imported first by inferWorker.ts: counts the worker's outgoing messages. Before each message it posts
 * `{ type: 'bench-bytes', cloned, transferred }`, the running totals of bytes the worker has structured-cloned
 * and transferred so far (whole ArrayBuffers, as postMessage copies or moves them). Comlink ignores messages
 * without its id, so the app's protocol is untouched.
 */
import { countBuffers } from './inferBytes';

/** The worker's global scope as far as posting goes (the project's lib is DOM, not WebWorker). */
interface PostScope {
  postMessage(message: unknown, transfer?: Transferable[] | StructuredSerializeOptions): void;
}

const scope = self as unknown as PostScope;
const post = scope.postMessage.bind(scope);
let cloned = 0;
let transferred = 0;
scope.postMessage = (message, transfer) => {
  const list = Array.isArray(transfer) ? transfer : (transfer?.transfer ?? []);
  const n = countBuffers(message, list);
  cloned += n.cloned;
  transferred += n.transferred;
  post({ type: 'bench-bytes', cloned, transferred });
  post(message, list);
};
