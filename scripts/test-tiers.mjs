// `npm test`: every test tier in order, each under a time budget, with a duration summary.
// Budgets (2-core CI machine): the whole suite must stay under 20 minutes.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const TOTAL_BUDGET_S = 20 * 60;
const TIERS = [
  { name: 'unit (Node)', cmd: 'npx', args: ['vitest', 'run', '--project', 'unit'], budgetS: 180 },
  {
    name: 'kernels (Node WebGPU, SwiftShader)',
    cmd: 'npx',
    args: ['vitest', 'run', '--project', 'gpu'],
    budgetS: 300,
  },
  { name: 'build', cmd: 'npx', args: ['vite', 'build', '--logLevel', 'warn'], budgetS: 120 },
  { name: 'e2e (Playwright, headless Chromium)', cmd: 'npx', args: ['playwright', 'test'], budgetS: 840 },
];

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(
    `No Chromium at ${chromium}. Install Debian's (apt-get install -y chromium) or point CHROMIUM_PATH at one.`,
  );
  process.exit(1);
}

function run(tier) {
  return new Promise((resolve) => {
    const start = Date.now();
    const child = spawn(tier.cmd, tier.args, { stdio: 'inherit', detached: true });
    const timer = setTimeout(() => {
      console.error(`\n${tier.name}: over its ${tier.budgetS} s budget, stopping it`);
      process.kill(-child.pid, 'SIGKILL');
    }, tier.budgetS * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ ...tier, ok: code === 0, code: code ?? signal, seconds: (Date.now() - start) / 1000 });
    });
  });
}

const only = process.argv.slice(2);
const results = [];
for (const tier of TIERS) {
  if (only.length > 0 && !only.some((o) => tier.name.startsWith(o))) continue;
  console.log(`\n=== ${tier.name} (budget ${tier.budgetS} s) ===`);
  const r = await run(tier);
  results.push(r);
  if (!r.ok) break;
}

const total = results.reduce((s, r) => s + r.seconds, 0);
console.log('\n| tier | result | seconds | budget |\n|---|---|---|---|');
for (const r of results)
  console.log(
    `| ${r.name} | ${r.ok ? 'pass' : `FAIL (${r.code})`} | ${r.seconds.toFixed(1)} | ${r.budgetS} |`,
  );
console.log(`| total | | ${total.toFixed(1)} | ${TOTAL_BUDGET_S} |`);
const failed = results.some((r) => !r.ok) || results.length < (only.length > 0 ? 1 : TIERS.length);
if (total > TOTAL_BUDGET_S)
  console.error(`The suite took ${total.toFixed(0)} s, over its ${TOTAL_BUDGET_S} s budget.`);
process.exit(failed || total > TOTAL_BUDGET_S ? 1 : 0);
