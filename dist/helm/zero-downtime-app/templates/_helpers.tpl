{{/*
The chart's name: app.kubernetes.io/name of every object. nameOverride replaces it.
*/}}
{{- define "zero-downtime-app.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The name of every object: fullnameOverride, else the release name when it contains the chart
name, else <release>-<chart>. Cut to 63 characters: Kubernetes names are DNS labels.
*/}}
{{- define "zero-downtime-app.fullname" -}}
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
{{- define "zero-downtime-app.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels of every object and pod.
*/}}
{{- define "zero-downtime-app.labels" -}}
helm.sh/chart: {{ include "zero-downtime-app.chart" . }}
{{ include "zero-downtime-app.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
zdd/variant: {{ if .Values.zeroDowntime.enabled }}zero-downtime{{ else }}default{{ end }}
{{- end }}

{{/*
The pod selector: the name and the release, so that two releases never select each other's pods.
*/}}
{{- define "zero-downtime-app.selectorLabels" -}}
app.kubernetes.io/name: {{ include "zero-downtime-app.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The rules between values that values.schema.json cannot express (JSON Schema does not compare
two values). The workload templates include it, so that helm template, install and lint stop here.
*/}}
{{- define "zero-downtime-app.validate" -}}
{{- $zd := .Values.zeroDowntime }}
{{- if and $zd.preStop.enabled (ge (int64 $zd.preStop.sleepSeconds) (int64 $zd.terminationGracePeriodSeconds)) }}
{{- fail (printf "zeroDowntime.preStop.sleepSeconds (%d) must be shorter than zeroDowntime.terminationGracePeriodSeconds (%d), or the pod is SIGKILLed during the hook" (int64 $zd.preStop.sleepSeconds) (int64 $zd.terminationGracePeriodSeconds)) }}
{{- end }}
{{- $probePort := $zd.readinessProbe.port }}
{{- if and $zd.readinessProbe.enabled (not (kindIs "string" $probePort)) (ne (int64 $probePort) (int64 .Values.port)) }}
{{- fail (printf "zeroDowntime.readinessProbe.port (%d) must be a port the container exposes: port (%d), \"http\" or empty" (int64 $probePort) (int64 .Values.port)) }}
{{- end }}
{{- $unavailable := $zd.rolling.maxUnavailable }}
{{- if and (kindIs "string" $unavailable) (ge (mul (atoi (trimSuffix "%" $unavailable)) (int64 .Values.replicas)) 100) }}
{{- fail (printf "zeroDowntime.rolling.maxUnavailable (%s) must come to 0 pods with %d replicas, so that ready pods never drop below replicas" $unavailable (int64 .Values.replicas)) }}
{{- end }}
{{- end }}
