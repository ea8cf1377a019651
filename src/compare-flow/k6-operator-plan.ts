/**
 * `--load k6-operator`'s settings, from their flags over the config file's section (`k6-operator-config.ts`),
 * checked: how many runners, and how their pods run where the cluster asks load generators to run. Pure; errors
 * name the flag.
 */
import { hostAndPort, integer } from '../input/flag-checks.js';
import type { RunnerSettings, Toleration } from '../load/k6-operator/test-run.js';
import { compareQuantities, isQuantity } from '../manifests/quantity.js';
import { cutText, UsageError } from '../runtime/errors.js';

/** How the load runs on the k6-operator. */
export interface K6OperatorPlan {
  /** Runners that share the load (each its execution segment). @default 1 */
  readonly parallelism: number;
  readonly runner: RunnerSettings;
  /**
   * `--runner-router-address HOST:PORT`: the router as the runners reach it (on OpenShift
   * `router-internal-default.openshift-ingress.svc:80`), each route's host in the Host header.
   * @default - the route's host, as the cluster's DNS resolves it
   */
  readonly routerAddress?: string;
}

/** The flags' values as given. */
export interface K6OperatorInput {
  readonly parallelism?: number;
  readonly runnerImage?: string;
  readonly runnerRouterAddress?: string;
  readonly runnerServiceAccount?: string;
  /** `KEY=VALUE`, repeatable. */
  readonly runnerNodeSelector?: readonly string[];
  /** `KEY[=VALUE]:EFFECT`, repeatable (kubectl taint's form). */
  readonly runnerToleration?: readonly string[];
  /** `cpu=500m,memory=512Mi`. */
  readonly runnerRequests?: string;
  readonly runnerLimits?: string;
}

/** The flags, in the order --help lists them, with whether each was given: refused without `--load k6-operator`. */
export function givenOperatorFlags(input: K6OperatorInput): string[] {
  const flags: Array<[string, boolean]> = [
    ['--parallelism', input.parallelism !== undefined],
    ['--runner-image', input.runnerImage !== undefined],
    ['--runner-router-address', input.runnerRouterAddress !== undefined],
    ['--runner-service-account', input.runnerServiceAccount !== undefined],
    ['--runner-node-selector', (input.runnerNodeSelector ?? []).length > 0],
    ['--runner-toleration', (input.runnerToleration ?? []).length > 0],
    ['--runner-requests', input.runnerRequests !== undefined],
    ['--runner-limits', input.runnerLimits !== undefined],
  ];
  return flags.filter(([, given]) => given).map(([flag]) => flag);
}

/** The most runners one run may ask for. */
export const MAX_PARALLELISM = 100;

export const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
export const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
export const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export const RESOURCE_NAMES = ['cpu', 'memory', 'ephemeral-storage'] as const;
export const SERVICE_ACCOUNT = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
/** An image reference: one word (the registry checks the rest when it pulls). */
export const IMAGE = /^\S+$/;

/**
 * The plan from the flags over the config file's `k6Operator:` section (`config`, already checked): a flag given
 * replaces that field of the file (a list or a map as a whole; requests and limits each).
 */
export function k6OperatorPlan(input: K6OperatorInput, config: Partial<K6OperatorPlan> = {}): K6OperatorPlan {
  const flags = flagPlan(input);
  const file = config.runner ?? {};
  const requests = flags.runner.resources?.requests ?? file.resources?.requests;
  const limits = flags.runner.resources?.limits ?? file.resources?.limits;
  checkRequestsWithinLimits(requests, limits);
  const routerAddress = flags.routerAddress ?? config.routerAddress;
  const runner: RunnerSettings = {
    ...file,
    ...flags.runner,
    ...((requests || limits) && { resources: { ...(requests && { requests }), ...(limits && { limits }) } }),
  };
  return {
    parallelism: flags.parallelism ?? config.parallelism ?? 1,
    runner,
    ...(routerAddress !== undefined && { routerAddress }),
  };
}

/** What the flags given set, checked. */
function flagPlan(input: K6OperatorInput): Partial<K6OperatorPlan> & { runner: RunnerSettings } {
  const parallelism = input.parallelism === undefined ? undefined : integer('--parallelism', input.parallelism, 1);
  if (parallelism !== undefined && parallelism > MAX_PARALLELISM) {
    throw new UsageError(`--parallelism: expected at most ${MAX_PARALLELISM} runners, got ${parallelism}`);
  }
  const image = input.runnerImage;
  if (image !== undefined && !IMAGE.test(image)) {
    throw new UsageError(`--runner-image: expected an image reference, got ${JSON.stringify(cutText(image))}`);
  }
  const account = input.runnerServiceAccount;
  if (account !== undefined && !SERVICE_ACCOUNT.test(account)) {
    throw new UsageError(
      `--runner-service-account: expected a service account name (lower case, digits, -, .), got ${JSON.stringify(cutText(account))}`,
    );
  }
  const address = input.runnerRouterAddress;
  if (address !== undefined) hostAndPort('--runner-router-address', address);
  const requests =
    input.runnerRequests === undefined ? undefined : resources('--runner-requests', input.runnerRequests);
  const limits = input.runnerLimits === undefined ? undefined : resources('--runner-limits', input.runnerLimits);
  const nodeSelector = nodeSelectorOf(input.runnerNodeSelector ?? []);
  const tolerations = (input.runnerToleration ?? []).map(toleration);
  const runner: RunnerSettings = {
    ...(image !== undefined && { image }),
    ...((requests || limits) && { resources: { ...(requests && { requests }), ...(limits && { limits }) } }),
    ...(nodeSelector && { nodeSelector }),
    ...(tolerations.length > 0 && { tolerations }),
    ...(account !== undefined && { serviceAccountName: account }),
  };
  return {
    ...(parallelism !== undefined && { parallelism }),
    runner,
    ...(address !== undefined && { routerAddress: address }),
  };
}

/** `cpu=500m,memory=512Mi` → `{ cpu: '500m', memory: '512Mi' }`. */
function resources(flag: string, text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const part of text.split(',')) {
    const [name = '', quantity = ''] = part.split('=').map((word) => word.trim());
    if (!(RESOURCE_NAMES as readonly string[]).includes(name) || !isQuantity(quantity) || name in result) {
      throw new UsageError(
        `${flag}: expected NAME=QUANTITY[,…] with NAME one of ${RESOURCE_NAMES.join(', ')} (each once) and a Kubernetes quantity such as 500m or 512Mi, got ${JSON.stringify(cutText(text))}`,
      );
    }
    result[name] = quantity;
  }
  return result;
}

function checkRequestsWithinLimits(
  requests: Record<string, string> | undefined,
  limits: Record<string, string> | undefined,
): void {
  for (const [name, request] of Object.entries(requests ?? {})) {
    const limit = limits?.[name];
    if (limit !== undefined && compareQuantities(request, limit) > 0) {
      throw new UsageError(
        `the runners' ${name} request ${request} is more than their limit ${limit} (--runner-requests and --runner-limits, or k6Operator.runner.resources in the config file)`,
      );
    }
  }
}

function nodeSelectorOf(entries: readonly string[]): Record<string, string> | undefined {
  if (entries.length === 0) return undefined;
  const selector: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    const key = entry.slice(0, at);
    const value = entry.slice(at + 1);
    if (at < 1 || !LABEL_KEY.test(key) || !LABEL_VALUE.test(value) || key in selector) {
      throw new UsageError(
        `--runner-node-selector: expected KEY=VALUE (a node label, each key once), got ${JSON.stringify(cutText(entry))}`,
      );
    }
    selector[key] = value;
  }
  return selector;
}

/** `KEY[=VALUE]:EFFECT`, as `kubectl taint` writes the taint it tolerates. */
function toleration(entry: string): Toleration {
  const match = /^([^=:]+)(?:=([^:]*))?:(\w+)$/.exec(entry);
  const [, key = '', value, effect = ''] = match ?? [];
  if (!match || !LABEL_KEY.test(key) || (value !== undefined && !LABEL_VALUE.test(value)) || !isEffect(effect)) {
    throw new UsageError(
      `--runner-toleration: expected KEY[=VALUE]:EFFECT with EFFECT one of ${EFFECTS.join(', ')} (as kubectl taint writes a taint), got ${JSON.stringify(cutText(entry))}`,
    );
  }
  return value === undefined ? { key, operator: 'Exists', effect } : { key, operator: 'Equal', value, effect };
}

function isEffect(text: string): text is (typeof EFFECTS)[number] {
  return (EFFECTS as readonly string[]).includes(text);
}
