/**
 * Entry point for `cdk8s synth` (see cdk8s.yaml): the default preset, written
 * by cdk8s itself. `zdd synth` writes the same bytes and takes flags and a config file.
 */
import { App } from 'cdk8s';
import { addVariants } from '../manifests/variants.js';
import { resolveSpec } from '../spec/resolve.js';

const app = new App({ outputFileExtension: '.yaml' });
addVariants(app, resolveSpec([]));
app.synth();
