import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

describe('third-party notices', () => {
  it('are up to date with the installed runtime dependencies', () => {
    expect(() =>
      execFileSync('node', ['scripts/notices.mjs', '--check'], { cwd: root, stdio: 'pipe' }),
    ).not.toThrow();
  });

  it('list every runtime dependency with a licence', () => {
    const deps = Object.keys(
      (
        JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
          dependencies: Record<string, string>;
        }
      ).dependencies,
    );
    const notices = JSON.parse(readFileSync(join(root, 'src/app/thirdPartyNotices.json'), 'utf8')) as {
      name: string;
      license: string;
    }[];
    for (const d of deps) expect(notices.find((n) => n.name === d)?.license, d).toMatch(/\w/);
  });
});
