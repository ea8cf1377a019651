import type { FieldPath, ManifestObject } from './manifest-object.js';
import type { Subject } from './relations.js';
import type { CheckSettings } from './settings.js';
import type { Severity } from './severity.js';

/** One thing a rule found: a sentence naming the offender, and the field it is about. */
export interface Diagnostic {
  readonly message: string;
  /** The field, inside `object`. */
  readonly path: FieldPath;
  /** The object the finding is on; the workload when not given (a PodDisruptionBudget for the PDB rules). */
  readonly object?: ManifestObject;
}

/**
 * A check, self-describing (kube-linter's shape): what it is called, how
 * much it matters, why (one line), the exact fix (ending with a period), and
 * where each number it uses comes from. `check` is pure.
 */
export interface Rule {
  readonly id: string;
  readonly severity: Severity;
  readonly description: string;
  readonly remediation: string;
  readonly help: string;
  check(subject: Subject, settings: CheckSettings): readonly Diagnostic[];
}
