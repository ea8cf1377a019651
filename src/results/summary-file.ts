/**
 * Reads a results folder's `summary.json` (`CompareSummary`): the figures the
 * report shows are checked field by field, so that a file cut off, edited or
 * written by something else is named with its field and line. Pure.
 */
import { z } from 'zod';
import { InputFileError } from '../input-file-error.js';
import { describeIssue, issueField, parsedIn } from '../input-issues.js';
import type { RecordedVariant } from '../report/report-data.js';
import type { CompareSummary } from '../report/results.js';
import { lineOfPath, parseJsonText } from './json-text.js';

const count = z.number().int().nonnegative();
const figure = z.number().nonnegative();
const byKind = z.object({
  refused: count,
  reset: count,
  timeout: count,
  http_5xx: count,
  http_4xx: count,
  other: count,
});
const delivery = z.object({ scheduled: count, dropped: count, late: count, shortfall: figure });
const figures = {
  requests: count,
  failed: count,
  errorRate: z.number().min(0).max(1),
  avgMs: figure,
  // Recorded since zdd wrote min, median and p90: a folder from before has none.
  minMs: figure.optional(),
  medianMs: figure.optional(),
  p90Ms: figure.optional(),
  p95Ms: figure,
  p99Ms: figure,
  maxMs: figure,
  tps: figure,
  byKind,
  longestOutageMs: figure,
  delivery,
};
const variant = z.object({
  name: z.string(),
  role: z.enum(['default', 'zero-downtime']),
  ...figures,
  byConnection: z.array(z.object({ connection: z.enum(['new', 'reused']), ...figures })),
  rounds: z.array(z.object({ round: count, requests: count, failed: count, longestOutageMs: figure })),
});
const rollout = z.object({
  workload: z.string(),
  revision: z.string(),
  outcome: z.enum(['completed', 'failed']),
  startedAt: z.number(),
  endedAt: z.number(),
  reason: z.string().optional(),
});
const summarySchema = z.object({
  zdd: z.object({ version: z.string() }),
  startedAt: z.string(),
  endedAt: z.string(),
  settings: z.looseObject({
    loadGenerator: z.string(),
    rate: z.number(),
    rounds: count,
    maxErrorRate: z.number().min(0).max(1),
  }),
  variants: z.array(variant).min(1),
  rounds: z.array(
    z.object({
      number: count,
      startedAt: z.number(),
      endedAt: z.number(),
      rollouts: z.array(rollout),
      problem: z.string().optional(),
    }),
  ),
  load: z.object({
    delivery: z.array(
      z.object({
        target: z.string(),
        connection: z.enum(['new', 'reused']),
        scheduled: count,
        sent: count,
        dropped: count,
        late: count,
      }),
    ),
    capped: z.boolean(),
    thresholds: z.array(z.object({ metric: z.string(), source: z.string(), ok: z.boolean() })),
    notes: z.array(z.string()),
  }),
  verdict: z.object({
    outcome: z.enum(['pass', 'fail', 'inconclusive']),
    exitCode: z.union([z.literal(0), z.literal(1), z.literal(3)]),
    passed: z.boolean(),
    reproduced: z.boolean(),
    reasons: z.array(z.string()),
    message: z.string(),
  }),
  latency: z.object({ measure: z.enum(['duration', 'total']), definition: z.string() }).optional(),
  variantDelta: z
    .array(
      z.object({
        kind: z.string(),
        path: z.string(),
        default: z.unknown().optional(),
        zeroDowntime: z.unknown().optional(),
      }),
    )
    .optional(),
});

/** The parts of `CompareSummary` the report reads, checked. */
export type RecordedSummary = Pick<
  CompareSummary,
  'zdd' | 'startedAt' | 'endedAt' | 'rounds' | 'load' | 'verdict' | 'variantDelta' | 'latency'
> & {
  readonly variants: readonly RecordedVariant[];
  /** The run's settings (`CompareSummary['settings']`), as recorded. */
  readonly settings: Readonly<Record<string, unknown>> & {
    readonly loadGenerator: string;
    readonly rate: number;
    readonly rounds: number;
    /** 0..1. */
    readonly maxErrorRate: number;
  };
};

/** Parses `summary.json`'s text; `file` names it in errors (with the line of the first problem). */
export function parseSummaryFile(text: string, file: string): RecordedSummary {
  const data = parseJsonText(text, file);
  const result = summarySchema.safeParse(data);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  if (issue === undefined) throw new InputFileError(file, 'not a zdd summary');
  const field = issueField(issue);
  const problem = `${field === '' ? '' : `${field}: `}${describeIssue(issue, parsedIn(data))}`;
  throw new InputFileError(
    file,
    `${problem} (not the summary zdd compare writes, or edited)`,
    lineOfPath(text, issue.path),
  );
}
