import type { Rule } from '../rule.js';
import { gracePeriodBudget } from './grace-period-budget.js';
import { noService } from './no-service.js';
import { pdbBlocksEvictions } from './pdb-blocks-evictions.js';
import { pdbMissing } from './pdb-missing.js';
import { preStopExecNeedsShell } from './prestop-exec-needs-shell.js';
import { preStopMissing } from './prestop-missing.js';
import { preStopShorterThanPropagation } from './prestop-shorter-than-propagation.js';
import { probePortNotExposed } from './probe-port-not-exposed.js';
import { readinessProbeMissing } from './readiness-probe-missing.js';
import { readinessSameAsLiveness } from './readiness-same-as-liveness.js';
import { readinessWindowRule } from './readiness-window.js';
import { recreateStrategy } from './recreate-strategy.js';
import { removedApiVersion } from './removed-api-version.js';
import { rollingParamsInvalid } from './rolling-params-invalid.js';
import { rollingReducesReadyPods } from './rolling-reduces-ready-pods.js';
import { rollingTakesAllPods } from './rolling-takes-all-pods.js';
import { servicePublishesUnreadyPods } from './service-publishes-unready-pods.js';
import { serviceSelectsSeveralWorkloads } from './service-selects-several-workloads.js';
import { singleReplica } from './single-replica.js';

/**
 * Every rule `zdd check` runs, in the order a reviewer reads them: whether the object applies at all,
 * start-up, shutdown, rollout, disruptions, what sends the requests.
 */
export const RULES: readonly Rule[] = [
  removedApiVersion,
  readinessProbeMissing,
  readinessSameAsLiveness,
  probePortNotExposed,
  servicePublishesUnreadyPods,
  preStopMissing,
  preStopShorterThanPropagation,
  preStopExecNeedsShell,
  gracePeriodBudget,
  rollingTakesAllPods,
  rollingReducesReadyPods,
  rollingParamsInvalid,
  recreateStrategy,
  singleReplica,
  pdbMissing,
  pdbBlocksEvictions,
  readinessWindowRule,
  noService,
  serviceSelectsSeveralWorkloads,
];
