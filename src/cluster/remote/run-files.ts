/**
 * What a `--target cluster` run writes into its results folder before it
 * creates anything on the cluster: the manifests exactly as they are created
 * (labelled with the run id; the create command reads this file, so it can be
 * typed again) and `cluster-run.json`, the run id and the command that removes
 * what the run created. Written first, so that a run killed with `kill -9`
 * still leaves the way to clean up.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { renderedObjects } from '../../kubernetes/read-manifests.js';
import type { RenderedVariant } from '../../manifests/variants.js';
import { SetupError } from '../../runtime/errors.js';
import { describeFsError } from '../../runtime/fs-errors.js';
import { DirectoryError, makeDirectory } from '../../runtime/make-directory.js';
import { RUN_ID_LABEL } from './commands.js';

/** The manifests as the run creates them. */
export const MANIFESTS_FILE = 'manifests.yaml';
/** The run id and its cleanup command. */
export const RUN_RECORD_FILE = 'cluster-run.json';

/** `cluster-run.json`. */
export interface RunRecord {
  readonly runId: string;
  /** `oc` or `kubectl`. */
  readonly cli: string;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace: string;
  /** `Kind/name` of every object the run creates. */
  readonly objects: readonly string[];
  /** The manifests file, beside this one. */
  readonly manifests: string;
  /** The command that removes every object labelled with the run id. */
  readonly cleanup: string;
}

/** One object of the manifests, as zdd reads it. */
export interface ManifestDocument {
  readonly kind: string;
  readonly apiVersion: string;
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string> };
  readonly spec?: { readonly replicas?: number };
}

/** Both variants' objects, each labelled `zdd/run-id=<runId>`, and the YAML the run writes of them. Pure. */
export function labelledManifests(
  variants: readonly RenderedVariant[],
  runId: string,
): { documents: ManifestDocument[]; yaml: string } {
  const documents = variants
    .flatMap((variant) => renderedObjects(variant).map((object) => object.value as unknown as ManifestDocument))
    .map((doc) => ({
      ...doc,
      metadata: { ...doc.metadata, labels: { ...doc.metadata.labels, [RUN_ID_LABEL]: runId } },
    }));
  const header = `# zdd compare --target cluster, run ${runId}: both variants, each object labelled ${RUN_ID_LABEL}=${runId}\n`;
  return { documents, yaml: header + documents.map((doc) => stringify(doc)).join('---\n') };
}

/** Writes the manifests file into `dir` (created when missing); resolves with its path. */
export async function writeManifestsFile(dir: string, yaml: string): Promise<string> {
  await inFolder(dir, async () => writeAtomically(join(dir, MANIFESTS_FILE), yaml));
  return join(dir, MANIFESTS_FILE);
}

/** Writes `cluster-run.json` into `dir`; resolves with its path. */
export async function writeRunRecord(dir: string, record: RunRecord): Promise<string> {
  const path = join(dir, RUN_RECORD_FILE);
  await inFolder(dir, async () => writeAtomically(path, `${JSON.stringify(record, null, 2)}\n`));
  return path;
}

/** The cleanup command a results folder's `cluster-run.json` holds, if it has one. */
export async function recordedCleanup(dir: string): Promise<string | undefined> {
  try {
    const record = JSON.parse(await readFile(join(dir, RUN_RECORD_FILE), 'utf8')) as Partial<RunRecord>;
    return typeof record.cleanup === 'string' ? record.cleanup : undefined;
  } catch {
    return undefined;
  }
}

async function inFolder(dir: string, write: () => Promise<void>): Promise<void> {
  try {
    await makeDirectory(dir);
    await write();
  } catch (error) {
    if (error instanceof DirectoryError) throw new SetupError(`--results: ${error.message}`);
    throw new SetupError(`--results: cannot write to ${dir}: ${describeFsError(error)}`);
  }
}

/** A file appears whole or not at all: a run killed while writing leaves no half a command. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}
