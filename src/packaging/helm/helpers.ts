import { labelsFor, selectorFor, VARIANT_LABEL } from '../../manifests/labels.js';

/** The chart's name, which prefixes every named template (`<chart>.fullname`). */
export interface ChartNames {
  readonly chart: string;
}

export type HelperName = 'name' | 'fullname' | 'chart' | 'labels' | 'selectorLabels' | 'validate';

/** `include "<chart>.<helper>" .` */
export function include(names: ChartNames, helper: HelperName): string {
  return `include "${names.chart}.${helper}" .`;
}

const MANAGED_BY = 'app.kubernetes.io/managed-by';

/**
 * `_helpers.tpl`: Helm's conventional name and label helpers (as `helm create`
 * writes them), with the labels the constructs put on every object — the
 * object's name becomes the chart's name helper, `managed-by` becomes Helm, the
 * variant label follows `zeroDowntime.enabled` — and the rules between values
 * that values.schema.json cannot express.
 */
export function helpersTpl(names: ChartNames): string {
  const define = (helper: HelperName) => `${names.chart}.${helper}`;
  const own = ownLabelLines();
  return `{{/*
The chart's name: app.kubernetes.io/name of every object. nameOverride replaces it.
*/}}
{{- define "${define('name')}" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The name of every object: fullnameOverride, else the release name when it contains the chart
name, else <release>-<chart>. Cut to 63 characters: Kubernetes names are DNS labels.
*/}}
{{- define "${define('fullname')}" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "${define('chart')}" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels of every object and pod.
*/}}
{{- define "${define('labels')}" -}}
helm.sh/chart: {{ ${include(names, 'chart')} }}
{{ ${include(names, 'selectorLabels')} }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
${own.join('\n')}
{{- end }}

{{/*
The pod selector: the name and the release, so that two releases never select each other's pods.
*/}}
{{- define "${define('selectorLabels')}" -}}
${selectorLines(names).join('\n')}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The rules between values that values.schema.json cannot express (JSON Schema does not compare
two values). The workload templates include it, so that helm template, install and lint stop here.
*/}}
{{- define "${define('validate')}" -}}
{{- $zd := .Values.zeroDowntime }}
{{- if and $zd.preStop.enabled (ge (int64 $zd.preStop.sleepSeconds) (int64 $zd.terminationGracePeriodSeconds)) }}
{{- fail (printf "zeroDowntime.preStop.sleepSeconds (%d) must be shorter than zeroDowntime.terminationGracePeriodSeconds (%d), or the pod is SIGKILLed during the hook" (int64 $zd.preStop.sleepSeconds) (int64 $zd.terminationGracePeriodSeconds)) }}
{{- end }}
{{- $probePort := $zd.readinessProbe.port }}
{{- if and $zd.readinessProbe.enabled (not (kindIs "string" $probePort)) (ne (int64 $probePort) (int64 .Values.port)) }}
{{- fail (printf "zeroDowntime.readinessProbe.port (%d) must be a port the container exposes: port (%d), \\"http\\" or empty" (int64 $probePort) (int64 .Values.port)) }}
{{- end }}
{{- $unavailable := $zd.rolling.maxUnavailable }}
{{- if and (kindIs "string" $unavailable) (ge (mul (atoi (trimSuffix "%" $unavailable)) (int64 .Values.replicas)) 100) }}
{{- fail (printf "zeroDowntime.rolling.maxUnavailable (%s) must come to 0 pods with %d replicas, so that ready pods never drop below replicas" $unavailable (int64 .Values.replicas)) }}
{{- end }}
{{- end }}
`;
}

/** The constructs' labels other than the selector's, as Helm writes them. */
function ownLabelLines(): string[] {
  const selector = Object.keys(selectorFor('a'));
  return labelKeys().flatMap((key) => {
    if (selector.includes(key)) return [];
    if (key === MANAGED_BY) return [`${MANAGED_BY}: {{ .Release.Service }}`];
    if (key === VARIANT_LABEL) {
      return [`${VARIANT_LABEL}: {{ if .Values.zeroDowntime.enabled }}zero-downtime{{ else }}default{{ end }}`];
    }
    return [`${key}: ${constantLabel(key)}`];
  });
}

function selectorLines(names: ChartNames): string[] {
  const [a, b] = [selectorFor('name-a'), selectorFor('name-b')];
  return Object.keys(a).map((key) => {
    if (a[key] === 'name-a' && b[key] === 'name-b') return `${key}: {{ ${include(names, 'name')} }}`;
    if (a[key] === b[key]) return `${key}: ${JSON.stringify(a[key])}`;
    throw new Error(`helm helpers: selector label ${key} depends on the name in a way the chart cannot write`);
  });
}

function labelKeys(): string[] {
  return Object.keys(labelsFor('name-a', 'default'));
}

/** A label the constructs write the same for every name and variant. */
function constantLabel(key: string): string {
  const values = [labelsFor('name-a', 'default'), labelsFor('name-b', 'zero-downtime')].map((labels) => labels[key]);
  if (values[0] !== values[1]) {
    throw new Error(`helm helpers: label ${key} depends on the name or variant in a way the chart cannot write`);
  }
  return JSON.stringify(values[0]);
}
