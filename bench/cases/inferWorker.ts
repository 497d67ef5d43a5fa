/**
 * The app's inference worker (workers/infer.worker.ts, unchanged) with its outgoing messages counted
 * (inferPostCount.ts, evaluated first: modules run in import order).
 */
import './inferPostCount';
import '../../workers/infer.worker';
