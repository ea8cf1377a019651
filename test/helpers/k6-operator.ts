import { findK6 } from '../../src/load/k6/find-k6.js';
import { defaultBinDir } from '../../src/testbed/control-plane.js';
import { k6OperatorBuild } from '../../src/testbed/k6-operator.js';
import { NO_TESTBED, NO_TESTBED_REASON } from './control-plane.js';

/** The k6 the test bed runs the operator's runner pods with. */
export const K6 = findK6();
const BUILD = k6OperatorBuild(defaultBinDir());

/** The test bed with the k6-operator cannot run here: no control plane, no operator build, or no k6. */
export const NO_K6_OPERATOR = NO_TESTBED || BUILD === undefined || K6 === undefined;

/** Why, for the title of a skipped block (empty when it runs). */
export const NO_K6_OPERATOR_REASON = NO_TESTBED
  ? ` (${NO_TESTBED_REASON})`
  : BUILD === undefined
    ? ' (skipped: no k6-operator in testbed/bin/k6-operator; run testbed/build.sh)'
    : K6 === undefined
      ? ' (skipped: no k6 on PATH or in GOPATH/bin)'
      : '';
