// Writes src/app/thirdPartyNotices.json: every package bundled into the app (runtime dependencies
// and theirs), with version, licence and home page. `--check` fails if the committed file is stale.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'src/app/thirdPartyNotices.json');

function pkg(name) {
  const p = join(root, 'node_modules', name, 'package.json');
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : null;
}

export function collect() {
  const seen = new Map();
  const queue = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies ?? {});
  while (queue.length > 0) {
    const name = queue.shift();
    if (seen.has(name)) continue;
    const p = pkg(name);
    if (p === null) continue; // optional dependency not installed on this platform
    const repo = typeof p.repository === 'string' ? p.repository : p.repository?.url;
    seen.set(name, {
      name,
      version: p.version,
      license: typeof p.license === 'string' ? p.license : (p.license?.type ?? 'see package'),
      homepage:
        p.homepage ??
        repo?.replace(/^git\+/, '').replace(/\.git$/, '') ??
        `https://www.npmjs.com/package/${name}`,
    });
    queue.push(...Object.keys(p.dependencies ?? {}));
  }
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}

const text = `${JSON.stringify(collect(), null, 2)}\n`;
if (process.argv.includes('--check')) {
  if (!existsSync(out) || readFileSync(out, 'utf8') !== text) {
    console.error('src/app/thirdPartyNotices.json is stale: run npm run notices');
    process.exit(1);
  }
} else {
  writeFileSync(out, text);
  console.log(`wrote ${out}`);
}
