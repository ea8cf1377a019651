import { execa } from 'execa';
import { findTool } from './tools.js';

const KUBECTL = findTool('kubectl');
const KUSTOMIZE = findTool('kustomize');

/** How the tests build a kustomization: `kubectl kustomize`, else the standalone `kustomize build` (the same kustomize v5). */
export const KUSTOMIZE_TOOL = KUBECTL ?? KUSTOMIZE;

export const KUSTOMIZE_MISSING =
  'neither kubectl nor kustomize is installed; `go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0` puts kustomize in $(go env GOPATH)/bin';

/** The YAML `kubectl kustomize <folder>` prints. */
export async function kustomizeBuild(folder: string): Promise<string> {
  if (KUSTOMIZE_TOOL === undefined) throw new Error(KUSTOMIZE_MISSING);
  const args = KUSTOMIZE_TOOL === KUBECTL ? ['kustomize', folder] : ['build', folder];
  return (await execa(KUSTOMIZE_TOOL, args, { timeout: 60_000 })).stdout;
}
