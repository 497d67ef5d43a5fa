#!/usr/bin/env node
// The headless project runner:
//   npm run project -- run path/to/project.json [--out results/] [--no-build] [--dist dist] [--timeout 1800] [--no-webgpu]
// Builds the app (unless --no-build), serves it on a free loopback port, opens headless Chromium with WebGPU,
// runs every cell of the project and writes results.json plus the artifacts (.onnx, predictions, chart PNGs)
// under --out. Data files are read relative to the project file. Exit code: 0 all cells ok, 1 a cell failed or
// the project did not load, 2 bad usage or the browser could not start.
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve, sep } from 'node:path';
import { chromium } from '@playwright/test';
import { preview } from 'vite';

const USAGE =
  'usage: npm run project -- run <project.json> [--out results/] [--no-build] [--dist dist] [--timeout 1800] [--no-webgpu]';

function parseArgs(argv) {
  const [command, file, ...rest] = argv;
  if (command !== 'run' || file === undefined) return null;
  const opts = { file, out: 'results', build: true, dist: 'dist', timeoutS: 1800, webgpu: true };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--out') opts.out = rest[++i];
    else if (a === '--dist') opts.dist = rest[++i];
    else if (a === '--timeout') opts.timeoutS = Number(rest[++i]);
    else if (a === '--no-build') opts.build = false;
    else if (a === '--no-webgpu') opts.webgpu = false;
    else return null;
  }
  if (!opts.out || !opts.dist || !(opts.timeoutS > 0)) return null;
  return opts;
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/** The file `rel` inside `root`, or null when it would leave it (.., absolute paths, symlinks out). */
function inside(root, rel) {
  if (rel.includes('\0')) return null;
  const full = resolve(root, rel);
  if (!full.startsWith(root + sep)) return null;
  if (!existsSync(full) || !statSync(full).isFile()) return null;
  const real = realpathSync(full);
  return real.startsWith(realpathSync(root) + sep) ? real : null;
}

const ARGS = [
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const WEBGPU = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-angle=vulkan',
];

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts === null) {
    console.error(USAGE);
    return 2;
  }
  const projectFile = resolve(opts.file);
  if (!existsSync(projectFile)) {
    console.error(`No project file at ${projectFile}.`);
    return 2;
  }
  const projectDir = dirname(projectFile);
  const text = readFileSync(projectFile, 'utf8');
  const outDir = resolve(opts.out);
  mkdirSync(outDir, { recursive: true });

  if (opts.build) {
    console.log('Building the app…');
    const b = spawnSync('npx', ['vite', 'build', '--outDir', opts.dist, '--logLevel', 'warn'], {
      stdio: 'inherit',
    });
    if (b.status !== 0) {
      console.error('The build failed.');
      return 2;
    }
  } else if (!existsSync(join(opts.dist, 'index.html'))) {
    console.error(`No built app in ${opts.dist}/ (run without --no-build).`);
    return 2;
  }

  const port = await freePort();
  const server = await preview({
    logLevel: 'warn',
    build: { outDir: opts.dist },
    preview: { port, strictPort: true, host: '127.0.0.1' },
  });
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  let browser;
  try {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: opts.webgpu ? [...ARGS, ...WEBGPU] : ARGS,
    });
  } catch (e) {
    console.error(
      `Could not start Chromium at ${executablePath} (apt-get install -y chromium, or set CHROMIUM_PATH): ${e.message}`,
    );
    await server.close();
    return 2;
  }
  const artifacts = [];
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
    await page.route('**/__project__/**', async (route) => {
      const rel = decodeURIComponent(new URL(route.request().url()).pathname.replace(/^\/__project__\//, ''));
      const full = inside(projectDir, rel);
      if (full === null) return route.fulfill({ status: 404, body: 'not found' });
      return route.fulfill({ status: 200, body: readFileSync(full) });
    });
    await page.exposeFunction('__workbenchArtifact', (name, base64) => {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name)) throw new Error(`bad artifact name ${name}`);
      writeFileSync(join(outDir, name), Buffer.from(base64, 'base64'));
      artifacts.push(name);
    });
    await page.exposeFunction('__workbenchProgress', (line) => console.log(line));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => typeof globalThis.__workbenchRunProject === 'function');
    const results = await Promise.race([
      page.evaluate((t) => globalThis.__workbenchRunProject(t), text),
      new Promise((_, rej) =>
        setTimeout(() => rej(new Error(`the run took longer than ${opts.timeoutS} s`)), opts.timeoutS * 1000),
      ),
    ]);
    writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    if (results.error) {
      console.error(`The project could not be loaded: ${results.error.message}`);
      for (const d of results.error.details ?? []) console.error(`  ${d}`);
      return 1;
    }
    const failed = results.cells.find((c) => c.status === 'failed');
    console.log(
      `\n${results.project}: ${results.cells.filter((c) => c.status === 'ok').length}/${results.cells.length} cells ok in ${(results.durationMs / 1000).toFixed(1)} s; results in ${join(outDir, 'results.json')}${artifacts.length ? `, artifacts: ${artifacts.join(', ')}` : ''}`,
    );
    if (failed) {
      console.error(
        `Cell “${failed.id}” (${failed.kind}) failed: ${failed.error.code}: ${failed.error.message}`,
      );
      return 1;
    }
    return 0;
  } catch (e) {
    console.error(`The run failed: ${e.message}`);
    return 1;
  } finally {
    await browser.close();
    await server.close();
  }
}

// Exit explicitly: a keep-alive socket of the preview server must not hold the process open.
process.exit(await main());
