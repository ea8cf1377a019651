import { type ChartNames, include } from './helpers.js';

/** templates/NOTES.txt: what `helm install` prints — which variant is running, and how to roll it out and reach it. */
export function notesTxt(names: ChartNames): string {
  return `{{- $name := ${include(names, 'fullname')} -}}
{{ $name }} is installed in {{ .Release.Namespace }}:
{{- if .Values.zeroDowntime.enabled }} the zero-downtime variant (readinessProbe, preStop, grace period, rolling parameters, PodDisruptionBudget as values.yaml sets them).
{{- else }} the default variant, the platform's defaults; zeroDowntime.enabled=true adds the zero-downtime settings.
{{- end }}

Roll it out (new pods replace the old ones):
{{- if eq .Values.workload "deployment" }}
  kubectl rollout restart deployment/{{ $name }} -n {{ .Release.Namespace }}
{{- else }}
  oc rollout latest dc/{{ $name }} -n {{ .Release.Namespace }}
{{- end }}
{{- if eq .Values.expose "route" }}

Its host: oc get route {{ $name }} -n {{ .Release.Namespace }} -o jsonpath='{.spec.host}'
{{- else if eq .Values.expose "ingress" }}

Its host: {{ $name }}.{{ .Values.domain }}
{{- else if eq .Values.expose "gateway" }}

Its host: {{ $name }}.{{ .Values.domain }}, through Gateway {{ .Values.gateway.name }}{{ with .Values.gateway.namespace }} in {{ . }}{{ end }} (kubectl get httproute {{ $name }} -n {{ .Release.Namespace }} -o jsonpath='{.status.parents}' says whether it accepted the route)
{{- end }}
`;
}
