import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import type { SampleRepo } from './ci-sample-repo.js';
import { BIN, REPO } from './cli.js';

/** The Tekton Task (ci/tekton/zdd-task.yaml), as far as the tests read it, and a TaskRun of it emulated. */
interface EnvVar {
  name: string;
  value: string;
}
interface Step {
  name: string;
  image?: string;
  script: string;
  env?: EnvVar[];
}
export interface Task {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    workspaces: Array<{ name: string }>;
    params: Array<{ name: string; type: string; default?: string; description: string }>;
    results: Array<{ name: string }>;
    stepTemplate: { image: string; workingDir: string; env: EnvVar[] };
    steps: Step[];
  };
}

export const text = readFileSync(join(REPO, 'ci/tekton/zdd-task.yaml'), 'utf8');
export const task = parse(text) as Task;

/** Runs the Task's steps in order, stopping at the first that fails, as a TaskRun does. */
export async function runTask(sample: SampleRepo, params: Record<string, string>) {
  const values: Record<string, string> = {};
  for (const param of task.spec.params) {
    const value = params[param.name] ?? param.default;
    if (value === undefined) throw new Error(`param ${param.name} has no default and was not given`);
    values[param.name] = value;
  }
  const resultsDir = join(sample.temp, 'tekton-results');
  mkdirSync(resultsDir, { recursive: true });
  const substitute = (line: string) =>
    line
      .replace(/\$\(params\.([\w-]+)\)/g, (_, name: string) => values[name] ?? `<no param ${name}>`)
      .replace(/\$\(workspaces\.source\.path\)/g, sample.dir)
      .replace(/\$\(results\.([\w-]+)\.path\)/g, (_, name: string) => join(resultsDir, name));
  const steps: Array<{ name: string; exitCode: number | undefined; log: string }> = [];
  for (const step of task.spec.steps) {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', NO_COLOR: '1' };
    for (const variable of [...task.spec.stepTemplate.env, ...(step.env ?? [])])
      env[variable.name] = substitute(variable.value);
    // The image's npx is swapped for the CLI built here, and HOME for a folder of the test's own.
    env.ZDD = `${process.execPath} ${BIN}`;
    env.HOME = sample.temp;
    const script = join(sample.temp, `step-${step.name}.sh`);
    writeFileSync(script, substitute(step.script));
    const result = await execa('bash', [script], {
      cwd: substitute(task.spec.stepTemplate.workingDir),
      env,
      extendEnv: false,
      reject: false,
      all: true,
      timeout: 120_000,
    });
    steps.push({ name: step.name, exitCode: result.exitCode, log: result.all });
    if (result.exitCode !== 0) break;
  }
  return { steps, result: (name: string) => readFileSync(join(resultsDir, name), 'utf8') };
}
