#!/usr/bin/env node
/**
 * The workbench's reference Open Inference Protocol server (dev tool; see docs/remote.md):
 *   node server/oip/server.mjs --models <dir> [--port 8000] [--host 127.0.0.1] [--cors-origin <origin>[,…]]
 *                              [--token <secret>] [--quiet]
 * Serves every .onnx file of <dir> as a model named after its file stem.
 */
import { parseArgs } from 'node:util';
import { createOipServer } from './app.mjs';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: 'test/fixtures/onnx' },
    port: { type: 'string', default: '8000' },
    host: { type: 'string', default: '127.0.0.1' },
    'cors-origin': { type: 'string', multiple: true, default: [] },
    token: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});

const log = values.quiet ? () => {} : (line) => console.log(line);
const corsOrigins = values['cors-origin']
  .flatMap((o) => o.split(','))
  .map((o) => o.trim())
  .filter(Boolean);
const { server, models } = await createOipServer({
  modelsDir: values.models,
  corsOrigins,
  token: values.token ?? process.env.OIP_TOKEN,
  log,
});
server.listen(Number(values.port), values.host, () => {
  const a = server.address();
  console.log(
    `OIP server on http://${a.address}:${a.port}/v2 — ${models.size} model(s): ${[...models.keys()].join(', ')}`,
  );
  console.log(
    `CORS: ${corsOrigins.length > 0 ? corsOrigins.join(', ') : 'off'}; token: ${values.token || process.env.OIP_TOKEN ? 'required' : 'none'}`,
  );
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
