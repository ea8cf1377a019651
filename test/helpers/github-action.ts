import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { REPO } from './cli.js';

/** The parts of action.yml a composite action's run uses. */
export interface ActionMetadata {
  readonly inputs: Record<string, { readonly default?: string; readonly required?: boolean }>;
  readonly outputs: Record<string, { readonly value: string }>;
  readonly runs: {
    readonly using: string;
    readonly steps: ReadonlyArray<{
      readonly id?: string;
      readonly name?: string;
      readonly if?: string;
      readonly shell: string;
      readonly run: string;
      readonly env?: Record<string, string>;
      readonly 'working-directory'?: string;
    }>;
  };
}

export const ACTION_FILE = join(REPO, 'action.yml');

export function actionMetadata(): ActionMetadata {
  return parse(readFileSync(ACTION_FILE, 'utf8')) as ActionMetadata;
}

/** What a workflow hands the action, and what the runner knows. */
export interface ActionRun {
  /** The workflow's `with:`. */
  readonly with: Record<string, string>;
  /** The checkout (GITHUB_WORKSPACE). */
  readonly workspace: string;
  /** RUNNER_TEMP, also where GITHUB_OUTPUT and GITHUB_STEP_SUMMARY are. */
  readonly temp: string;
  /** `github.event.pull_request.base.sha`: set on pull_request events. */
  readonly pullRequestBase?: string;
}

export interface ActionResult {
  /** Each step that ran: its name and exit code (the run stops at the first that fails, as GitHub's does). */
  readonly steps: ReadonlyArray<{ readonly name: string; readonly exitCode: number; readonly output: string }>;
  /** The action's outputs, as `outputs.<id>.value` maps them. */
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

/**
 * Runs action.yml's steps as GitHub's runner runs a composite action: each step's `${{ }}` expressions
 * resolved (inputs with their defaults, github.action_path and workspace, the pull request's base, earlier
 * steps' outputs), its `if` judged, its `run` in `bash --noprofile --norc -eo pipefail` in its working
 * directory, with GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE, GITHUB_ACTION_PATH and RUNNER_TEMP
 * set; step outputs read back from GITHUB_OUTPUT.
 */
export async function runAction(run: ActionRun): Promise<ActionResult> {
  const action = actionMetadata();
  const summaryFile = join(run.temp, 'step-summary.md');
  writeFileSync(summaryFile, '');
  const inputs: Record<string, string> = {};
  const stepOutputs: Record<string, Record<string, string>> = {};
  const context = (path: string): string => {
    if (path === 'github.action_path') return REPO;
    if (path === 'github.workspace') return run.workspace;
    if (path === 'github.event.pull_request.base.sha') return run.pullRequestBase ?? '';
    const [scope, ...rest] = path.split('.');
    if (scope === 'inputs') return inputs[rest.join('.')] ?? '';
    if (scope === 'steps' && rest[1] === 'outputs') return stepOutputs[rest[0] as string]?.[rest[2] as string] ?? '';
    throw new Error(`action.yml uses an expression this test does not know: ${path}`);
  };
  const expand = (text: string) => text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, path: string) => context(path));
  for (const [name, input] of Object.entries(action.inputs)) {
    const given = run.with[name];
    if (given === undefined && input.required === true) throw new Error(`input ${name} is required`);
    inputs[name] = given ?? expand(input.default ?? '');
  }
  const steps: { name: string; exitCode: number; output: string }[] = [];
  for (const [index, step] of action.runs.steps.entries()) {
    if (step.if !== undefined && !judge(step.if, context)) continue;
    const outputFile = join(run.temp, `github-output-${index}`);
    writeFileSync(outputFile, '');
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: run.workspace,
      GITHUB_ACTION_PATH: REPO,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      RUNNER_TEMP: run.temp,
      NO_COLOR: '1',
    };
    for (const [name, value] of Object.entries(step.env ?? {})) env[name] = expand(value);
    if (step.shell !== 'bash') throw new Error(`step ${index}'s shell is ${step.shell}: this test runs bash`);
    const result = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', expand(step.run)], {
      cwd: expand(step['working-directory'] ?? run.workspace),
      env,
      extendEnv: false,
      reject: false,
      all: true,
      timeout: 180_000,
    });
    steps.push({ name: step.name ?? step.id ?? `step ${index}`, exitCode: result.exitCode ?? -1, output: result.all });
    if (step.id !== undefined) stepOutputs[step.id] = readOutputs(outputFile);
    if (result.exitCode !== 0) break;
  }
  const outputs = Object.fromEntries(
    Object.entries(action.outputs).map(([name, output]) => [name, expand(output.value)]),
  );
  return { steps, outputs, summary: readFileSync(summaryFile, 'utf8') };
}

/** `a == 'b' && c == 'd'`: the only form of `if` action.yml uses. */
function judge(condition: string, context: (path: string) => string): boolean {
  return condition.split('&&').every((part) => {
    const match = /^\s*([\w.-]+)\s*==\s*'([^']*)'\s*$/.exec(part);
    if (!match) throw new Error(`action.yml has an if this test does not know: ${condition}`);
    return context(match[1] as string) === match[2];
  });
}

/** GITHUB_OUTPUT's `name=value` lines. */
export function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1);
  }
  return outputs;
}
