/**
 * The config file's `k6Operator:` section: `--load k6-operator`'s runners as a team keeps them with its settings
 * (the flags of the same names override it). Checked with the same rules as the flags; each problem names the file,
 * the field and the value as written. Pure.
 */
import { z } from 'zod';
import { isHostAndPort } from '../input/flag-checks.js';
import { describeIssue, issueField, type WrittenAt } from '../input/input-issues.js';
import { QUANTITY_PATTERN } from '../manifests/quantity.js';
import { UsageError } from '../runtime/errors.js';
import {
  EFFECTS,
  IMAGE,
  type K6OperatorPlan,
  LABEL_KEY,
  LABEL_VALUE,
  MAX_PARALLELISM,
  SERVICE_ACCOUNT,
} from './k6-operator-plan.js';

const quantity = z.string().regex(new RegExp(QUANTITY_PATTERN), 'expected a Kubernetes quantity such as 500m or 512Mi');
const resourceMap = z.strictObject({
  cpu: quantity.optional(),
  memory: quantity.optional(),
  'ephemeral-storage': quantity.optional(),
});
const labelKey = z.string().regex(LABEL_KEY, 'expected a label key');
const labelValue = z.string().regex(LABEL_VALUE, 'expected a label value');

const sectionSchema = z.strictObject({
  parallelism: z.number().int().min(1).max(MAX_PARALLELISM).optional(),
  routerAddress: z.string().refine(isHostAndPort, 'expected HOST:PORT').optional(),
  runner: z
    .strictObject({
      image: z.string().regex(IMAGE, 'expected an image reference').optional(),
      resources: z.strictObject({ requests: resourceMap.optional(), limits: resourceMap.optional() }).optional(),
      nodeSelector: z.record(labelKey, labelValue).optional(),
      tolerations: z
        .array(
          z.strictObject({
            key: labelKey.optional(),
            operator: z.enum(['Exists', 'Equal']).optional(),
            value: labelValue.optional(),
            effect: z.enum(EFFECTS).optional(),
            tolerationSeconds: z.number().int().optional(),
          }),
        )
        .optional(),
      serviceAccountName: z.string().regex(SERVICE_ACCOUNT, 'expected a service account name').optional(),
    })
    .optional(),
});

/** The section as written, checked (`undefined`: the file has none). */
export function k6OperatorSection(value: unknown, file: string, written: WrittenAt): Partial<K6OperatorPlan> {
  if (value === undefined) return {};
  const result = sectionSchema.safeParse(value);
  if (!result.success) {
    const [issue] = result.error.issues;
    const field = issue ? ['k6Operator', issueField(issue)].filter(Boolean).join('.') : 'k6Operator';
    const problem = issue ? describeIssue(issue, (path) => written(['k6Operator', ...path])) : 'not a mapping';
    throw new UsageError(`${file}: ${field}: ${problem}`);
  }
  return result.data;
}
