import { RUN_ID_LABEL } from '../../cluster/remote/commands.js';
import type { KubeObject } from '../../kube/resources.js';

/**
 * The k6 zdd is tested with (`.ci/run` installs the same version locally; a test keeps the two equal): the runner
 * image's default, so that a run from the cluster measures with the k6 the local runs measure with.
 */
export const DEFAULT_RUNNER_IMAGE = 'grafana/k6:1.8.1';

/** A toleration, as a pod spec takes it. */
export interface Toleration {
  readonly key?: string;
  readonly operator?: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  readonly tolerationSeconds?: number;
}

/** Where and how the runner pods run: what a user's cluster asks of a load generator's pods. */
export interface RunnerSettings {
  /** The runner image: k6, with a shell (the operator's runner command needs none, zdd's collection does). @default DEFAULT_RUNNER_IMAGE */
  readonly image?: string;
  /** Requests and limits (`cpu`, `memory`), as a container takes them. @default - none: the namespace's defaults */
  readonly resources?: {
    readonly requests?: Readonly<Record<string, string>>;
    readonly limits?: Readonly<Record<string, string>>;
  };
  /** @default - none */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly tolerations?: readonly Toleration[];
  /** @default - the operator's: `default` */
  readonly serviceAccountName?: string;
}

export interface K6OperatorLoadOptions {
  /** The TestRun's name; the ConfigMap is `<name>-script`. */
  readonly name: string;
  readonly namespace: string;
  /** The run's id: both objects carry it in RUN_ID_LABEL, so that `--cleanup` and the printed delete find them. */
  readonly runId: string;
  /** The k6 script's text. */
  readonly script: string;
  /** The script's file name in the ConfigMap (runners read it as `/test/<file>`). @default 'rollout-load.js' */
  readonly scriptFile?: string;
  /** Runners that share the load, each with its execution segment (the load is split, not multiplied). */
  readonly parallelism: number;
  /** More `k6 run` arguments, each one word. @default [] */
  readonly arguments?: readonly string[];
  /** @default {} */
  readonly runner?: RunnerSettings;
}

/** The ConfigMap with zdd's k6 script and the TestRun (k6.io/v1alpha1) that runs it on the k6-operator. */
export function k6OperatorObjects(options: K6OperatorLoadOptions): { configMap: KubeObject; testRun: KubeObject } {
  if (!Number.isInteger(options.parallelism) || options.parallelism < 1) {
    throw new RangeError(`parallelism must be a whole number of at least 1, not ${options.parallelism}`);
  }
  const badArgument = options.arguments?.find((argument) => argument === '' || /\s/.test(argument));
  if (badArgument !== undefined) {
    throw new RangeError(
      `a k6 argument for the k6-operator cannot hold a space or be empty: ${JSON.stringify(badArgument)}`,
    );
  }
  const file = options.scriptFile ?? 'rollout-load.js';
  const labels = { [RUN_ID_LABEL]: options.runId };
  const runner = options.runner ?? {};
  const configMap: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${options.name}-script`, namespace: options.namespace, labels },
    data: { [file]: options.script },
  };
  const testRun: KubeObject = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: { name: options.name, namespace: options.namespace, labels },
    spec: {
      parallelism: options.parallelism,
      script: { configMap: { name: `${options.name}-script`, file } },
      // The initializer pod runs `k6 inspect` on the script to check it: zdd's script is its own, tested with the
      // k6 of DEFAULT_RUNNER_IMAGE, and its arguments are checked by zdd, so the check would cost a pod (and an
      // image pull) per run and tell nothing new. A runner whose k6 refuses the script ends the run at once.
      initializer: { disabled: true },
      // Split on spaces by the operator: a word with a space would become two.
      ...(options.arguments?.length && { arguments: options.arguments.join(' ') }),
      runner: {
        image: runner.image ?? DEFAULT_RUNNER_IMAGE,
        // Its pods carry the run id too: the runners' logs and pods are found by it.
        metadata: { labels },
        ...(runner.resources && { resources: runner.resources }),
        ...(runner.nodeSelector && { nodeSelector: runner.nodeSelector }),
        ...(runner.tolerations && { tolerations: runner.tolerations }),
        ...(runner.serviceAccountName !== undefined && { serviceAccountName: runner.serviceAccountName }),
      },
    },
  };
  return { configMap, testRun };
}
