import type { Fields } from './fields.js';

/** A `metav1.LabelSelector`: matchLabels and matchExpressions, all of which must hold. */
export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly LabelRequirement[];
}

export interface LabelRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>>;

/** The selector at `fields`; undefined when it is not written (null). */
export function readLabelSelector(fields: Fields): LabelSelector | undefined {
  if (fields.record([]) === undefined) return undefined;
  const matchExpressions: LabelRequirement[] = [];
  for (const [index] of fields.list(['matchExpressions']).entries()) {
    const expression = fields.at(['matchExpressions', index]);
    matchExpressions.push({
      key: expression.string(['key']) ?? '',
      operator: expression.string(['operator']) ?? '',
      values: expression.list(['values']).map(String),
    });
  }
  return { matchLabels: fields.stringMap(['matchLabels']) ?? {}, matchExpressions };
}

/** Whether the selector is empty (`{}`): in policy/v1 it selects every pod of the namespace. */
export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

/** `labels` satisfy every matchLabels pair and every expression (In, NotIn, Exists, DoesNotExist). */
export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  return (
    mapSelectorMatches(selector.matchLabels, labels) &&
    selector.matchExpressions.every((requirement) => requirementHolds(requirement, labels))
  );
}

/** A Service's (or DeploymentConfig's) selector: every pair is among the labels. */
export function mapSelectorMatches(selector: Labels, labels: Labels): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

function requirementHolds(requirement: LabelRequirement, labels: Labels): boolean {
  const value = labels[requirement.key];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && requirement.values.includes(value);
    case 'NotIn':
      return value === undefined || !requirement.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      return false; // the API refuses other operators; such a selector selects nothing
  }
}
