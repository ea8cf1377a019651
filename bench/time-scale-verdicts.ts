/**
 * Does a sped-up run prove what a real-speed run proves? Runs `zdd compare`
 * for every preset × one knob of the zero-downtime settings taken away, at
 * each time scale, with the same seed (so the router's reload phases are the
 * same), and prints the verdicts side by side as a Markdown table.
 *
 *   npx tsx bench/time-scale-verdicts.ts [--scales 0.1,1] [--seed 1] [--rate 20] [--load builtin] [--repeat 1]
 *
 * `npm run build` first (it runs the built CLI). At time scale 1 every run
 * takes its real length: about 15 minutes for the whole table.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';

const BIN = fileURLToPath(new URL('../bin/zdd.js', import.meta.url));

const { values } = parseArgs({
  options: {
    scales: { type: 'string', default: '0.1,1' },
    seed: { type: 'string', default: '1' },
    rate: { type: 'string', default: '20' },
    load: { type: 'string', default: 'builtin' },
    repeat: { type: 'string', default: '1' },
  },
});
const scales = values.scales.split(',').map(Number);
const repeat = Number(values.repeat);
const PRESETS = ['default', 'seed'];
const KNOBS: ReadonlyArray<readonly string[]> = [
  ['--no-prestop'],
  ['--no-readiness-probe'],
  ['--max-unavailable', '1'],
  ['--grace-period', '1'],
  ['--replicas', '1'],
];
const OUTCOMES: Record<number, string> = { 0: 'PASS', 1: 'FAIL', 2: 'refused', 3: 'INCONCLUSIVE' };

interface Cell {
  readonly verdict: string;
  readonly detail: string;
}

async function run(preset: string, knob: readonly string[], scale: number, seed: number): Promise<Cell> {
  const results = await mkdtemp(join(tmpdir(), 'zdd-bench-verdicts-'));
  try {
    const args = [
      'compare',
      '--preset',
      preset,
      ...knob,
      '--time-scale',
      String(scale),
      '--seed',
      String(seed),
      '--rate',
      values.rate,
      '--load',
      values.load,
      '--results',
      results,
    ];
    const result = await execa(process.execPath, [BIN, ...args], { reject: false, env: { NO_COLOR: '1' } });
    const verdict = OUTCOMES[result.exitCode ?? -1] ?? `exit ${result.exitCode}`;
    const [folder] = (await readdir(results)).filter((name) => !name.includes('.'));
    if (folder === undefined) return { verdict, detail: result.stderr.split('\n')[0]?.slice(0, 60) ?? '' };
    const summary = JSON.parse(await readFile(join(results, folder, 'summary.json'), 'utf8')) as {
      variants: Array<{ role: string; failed: number; requests: number }>;
    };
    const failed = (role: string) => {
      const variant = summary.variants.find((v) => v.role === role);
      return `${variant?.failed}/${variant?.requests}`;
    };
    return { verdict, detail: `zd ${failed('zero-downtime')}, default ${failed('default')}` };
  } finally {
    await rm(results, { recursive: true, force: true });
  }
}

console.log(`seed ${values.seed}, --rate ${values.rate} (per modelled second), --load ${values.load}`);
console.log(`| preset | knob | ${scales.map((s) => `time scale ${s}`).join(' | ')} | same |`);
console.log(`| --- | --- | ${scales.map(() => '---').join(' | ')} | --- |`);
for (const preset of PRESETS) {
  for (const knob of KNOBS) {
    for (let i = 0; i < repeat; i++) {
      const seed = Number(values.seed) + i;
      const cells: Cell[] = [];
      for (const scale of scales) cells.push(await run(preset, knob, scale, seed));
      const same = cells.every((cell) => cell.verdict === cells[0]?.verdict);
      console.log(
        `| ${preset} | ${knob.join(' ')}${repeat > 1 ? ` (seed ${seed})` : ''} | ${cells.map((c) => `${c.verdict} (${c.detail})`).join(' | ')} | ${same ? 'yes' : '**no**'} |`,
      );
    }
  }
}
