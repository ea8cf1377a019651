/**
 * A results folder's `summary.json`, declared once: the zod schema below is the format, `CompareSummary`
 * (the type compare writes and the report reads) is inferred from it, and the writer (`compareSummary`) and
 * the reader (`parseSummaryFile`) sit together. The reader checks every field the report reads, so that a
 * file cut off, edited or written by something else is named with its field and line. Pure.
 */
import { z } from 'zod';
import { InputFileError } from '../input/input-file-error.js';
import { describeIssue, issueField, parsedIn } from '../input/input-issues.js';
import { RUN_LATENCY } from '../load/latency.js';
import { lineOfPath, parseJsonText } from './json-text.js';
import type { CompareRun, VariantResult, Verdict } from './run-result.js';

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
  // The run's plan as compare had it (`ComparePlan`) and the generator that ran; the report shows the rest of
  // the plan as recorded, unchecked.
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
      // Where the local router's periodic reloads stood when the round started (0..1 of an interval).
      reloadPhase: z.number().optional(),
      problem: z.string().optional(),
    }),
  ),
  // How the generator kept its schedule per variant and connection pattern, its thresholds and notes.
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
    // Why the samples may not be every request sent (the k6-operator's runners); each made the run INCONCLUSIVE.
    problems: z.array(z.string()).optional(),
    // The k6-operator's runners: each one's pod, execution segment, requests read, its own k6's count and start.
    runners: z
      .array(
        z.object({
          runner: z.string(),
          segment: z.string().optional(),
          requests: count,
          httpReqs: count.optional(),
          dropped: z.record(z.string(), count),
          startedAt: z.number().optional(),
          cancelled: count,
        }),
      )
      .optional(),
  }),
  verdict: z.object({
    outcome: z.enum(['pass', 'fail', 'inconclusive']),
    exitCode: z.union([z.literal(0), z.literal(1), z.literal(3)]),
    passed: z.boolean(),
    reproduced: z.boolean(),
    reasons: z.array(z.string()),
    message: z.string(),
  }),
  // What the latency figures measure (absent in results written before zdd recorded it: the same, total).
  latency: z.object({ measure: z.enum(['duration', 'total']), definition: z.string() }).optional(),
  // The settings that differ between the two variants' manifests (absent in results written before zdd
  // recorded them).
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

/** `T` with every property and array readonly: what compare hands over is never changed, nor what is read. */
type DeepReadonly<T> = T extends readonly (infer Item)[]
  ? readonly DeepReadonly<Item>[]
  : T extends object
    ? { readonly [Key in keyof T]: DeepReadonly<T[Key]> }
    : T;

/** `summary.json`: settings, per-variant figures (per connection pattern and per round), the rollouts, the load's delivery, and the verdict. */
export type CompareSummary = DeepReadonly<z.infer<typeof summarySchema>>;

/** A variant's figures as a results folder records them (`VariantResult`, perhaps without the later figures). */
export type RecordedVariant = CompareSummary['variants'][number];

/** The summary of a judged run, as `writeResults` writes it. */
export function compareSummary(
  run: CompareRun,
  results: readonly VariantResult[],
  verdict: Verdict,
  version: string,
  variantDelta?: CompareSummary['variantDelta'],
): CompareSummary {
  return {
    zdd: { version },
    startedAt: new Date(run.startedAt).toISOString(),
    endedAt: new Date(run.endedAt).toISOString(),
    settings: { ...run.plan, loadGenerator: run.loadGenerator },
    variants: results,
    rounds: run.rounds,
    load: run.load,
    verdict,
    latency: RUN_LATENCY,
    ...(variantDelta !== undefined && { variantDelta }),
  };
}

/** Parses `summary.json`'s text; `file` names it in errors (with the line of the first problem). */
export function parseSummaryFile(text: string, file: string): CompareSummary {
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
