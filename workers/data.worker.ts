import { expose } from 'comlink';
import type { DataApi } from '../src/bridge/contracts';
import { installErrorTransfer } from '../src/bridge/errorTransfer';
import { openWorkbenchDb } from '../src/db/open';
import { createDataApi } from '../src/engine/data/dataService';

installErrorTransfer();
const db = openWorkbenchDb({ onVersionChange: () => self.postMessage({ type: 'storage-versionchange' }) });
// A failed open is reported by every call that needs the database; keep it from being "unhandled" here.
db.catch(() => undefined);
expose(createDataApi(db) satisfies DataApi);
