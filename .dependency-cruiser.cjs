/**
 * The import layers of src/, checked by `npm run lint:layers` (part of `npm test`).
 *
 * A module may import its own layer and the layers below it, never one above, and no chain of
 * imports may come back to where it started (type-only and dynamic imports count: a cycle that
 * only TypeScript or a lazy `import()` sees still ties the two folders together).
 *
 * Each layer is a list of paths under src/. A folder listed here covers every file added to it
 * later; a new folder or loose file that no layer lists is refused until it is placed.
 */

/** Bottom to top. */
const layers = [
  {
    name: 'runtime',
    comment: 'processes, timing, errors, and reading what a user hands zdd: what every layer may use',
    paths: ['runtime/', 'input/'],
  },
  {
    name: 'kubernetes',
    comment: 'the Kubernetes model (objects, defaults), the API client, and the platform profiles (data)',
    paths: ['kubernetes/', 'kube/', 'platforms/'],
  },
  { name: 'spec', comment: 'the settings', paths: ['spec/'] },
  {
    name: 'manifests',
    comment: 'the cdk8s constructs that turn a spec into objects',
    paths: ['manifests/'],
  },
  { name: 'packaging', comment: 'Helm and kustomize forms of the manifests', paths: ['packaging/'] },
  // check and diff read manifests and run nothing: below the targets, so that what they know about the
  // platform comes from the Kubernetes model, never from the local cluster's way of running it.
  {
    name: 'manifest-checks',
    comment: 'what a manifest says, nothing run: zdd check and zdd diff',
    paths: ['check/', 'diff/'],
  },
  // Where a variant runs. The interface compare sees (cluster/*.ts) is below its implementations, the
  // router below the local cluster that runs it, the local cluster below the real-cluster target and the
  // test bed (both run its pods and strategies).
  { name: 'target', comment: 'the target interface: what a target does, what a rollout returns', paths: ['cluster/*'] },
  { name: 'router', comment: 'the router in front of Services', paths: ['cluster/router/'] },
  { name: 'local-cluster', comment: 'the local cluster of processes', paths: ['cluster/local/'] },
  {
    name: 'cluster-targets',
    comment: 'a real cluster through oc/kubectl, and the test bed',
    paths: ['cluster/remote/', 'testbed/'],
  },
  { name: 'load', comment: 'k6 and the built-in load generator', paths: ['load/'] },
  { name: 'results', comment: 'the results folder: its format, reader and writer', paths: ['results-folder/'] },
  { name: 'report', comment: 'tables, HTML, Markdown and charts of a run', paths: ['report/'] },
  {
    name: 'flows',
    comment: 'the compare flow, and the importers of JMeter and k6 files',
    paths: ['compare-flow/', 'importers/'],
  },
  { name: 'commands', comment: 'one folder per command', paths: ['commands/'] },
  { name: 'cli', comment: 'yargs, flags, the single exit', paths: ['cli/'] },
];

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `folder/`: everything under it; `folder/*`: the files directly in it; `file.ts`: that file. */
const pathPattern = (path) =>
  path.endsWith('/*')
    ? `${escapeRegExp(path.slice(0, -1))}[^/]+$`
    : `${escapeRegExp(path)}${path.endsWith('/') ? '' : '$'}`;
/** A regular expression matching every module of the given layers. */
const pathsOf = (someLayers) => `^src/(${someLayers.flatMap((layer) => layer.paths.map(pathPattern)).join('|')})`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'A chain of imports comes back to where it started: move the shared piece to the lower module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      severity: 'error',
      comment: 'Two folders import each other (through any of their files): move the shared piece to the lower folder.',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    ...layers.slice(0, -1).map((layer, index) => ({
      name: `no-upward-from-${layer.name}`,
      severity: 'error',
      comment: `${layer.name} (${layer.comment}) imports a layer above it: move the shared piece down.`,
      from: { path: pathsOf([layer]) },
      to: { path: pathsOf(layers.slice(index + 1)) },
    })),
    {
      name: 'in-a-layer',
      severity: 'error',
      comment: 'Every module of src/ belongs to a layer: add its folder or file to .dependency-cruiser.cjs.',
      from: { path: '^src/', pathNot: pathsOf(layers) },
      to: {},
    },
    {
      name: 'in-a-layer',
      severity: 'error',
      comment: 'Every module of src/ belongs to a layer: add its folder or file to .dependency-cruiser.cjs.',
      from: {},
      to: { path: '^src/', pathNot: pathsOf(layers) },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to no file.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    includeOnly: '^src/',
    // Type-only imports count (they tie the two modules' declarations together all the same); so do lazy
    // `import()`s, which dependency-cruiser follows by default.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
