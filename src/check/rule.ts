import type { JsonObject } from '../input/json-value.js';
import type { FieldPath, ManifestObject } from '../kubernetes/object.js';
import type { Subject } from './relations.js';
import type { CheckSettings } from './settings.js';
import type { Severity } from './severity.js';

/** One thing a rule found: a sentence naming the offender, and the field it is about. */
export interface Diagnostic {
  readonly message: string;
  /** The field, inside `object`. */
  readonly path: FieldPath;
  /**
   * The object the finding is on; the workload when not given (a PodDisruptionBudget for the PDB rules, a
   * Service for the Service rules), the object itself for a rule of scope `object`.
   */
  readonly object?: ManifestObject;
  /** The numbers the finding was judged with, for SARIF's and JSON's `properties`. @default - none */
  readonly properties?: JsonObject;
}

/**
 * A check, self-describing (kube-linter's shape): what it is called, how
 * much it matters, why (one line), the exact fix (ending with a period), and
 * where each number it uses comes from. `check` is pure.
 */
interface RuleDescription {
  readonly id: string;
  readonly severity: Severity;
  readonly description: string;
  readonly remediation: string;
  readonly help: string;
  /** The ids the rule had before (SARIF's `deprecatedIds`, so that code scanning keeps its alerts). @default - none */
  readonly formerIds?: readonly string[];
  /** The settings' numbers the rule judges with, for SARIF's rule `properties`. @default - none */
  readonly properties?: (settings: CheckSettings) => JsonObject;
}

/** A rule judged once per workload, with the objects related to it. */
export interface WorkloadRule extends RuleDescription {
  /** @default 'workload' */
  readonly scope?: 'workload';
  check(subject: Subject, settings: CheckSettings): readonly Diagnostic[];
}

/** A rule judged once per object read, whatever its kind and whether or not it relates to a workload. */
export interface ObjectRule extends RuleDescription {
  readonly scope: 'object';
  check(object: ManifestObject, settings: CheckSettings): readonly Diagnostic[];
}

export type Rule = WorkloadRule | ObjectRule;
