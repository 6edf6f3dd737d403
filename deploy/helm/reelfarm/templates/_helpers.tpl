{{/* The release's name prefix for every resource. */}}
{{- define "reelfarm.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "reelfarm.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one component: (dict "ctx" $ "component" "worker"). */}}
{{- define "reelfarm.selectorLabels" -}}
app.kubernetes.io/name: {{ .ctx.Chart.Name }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "reelfarm.image" -}}
{{- printf "%s/%s:%s" .ctx.Values.image.repository .name (.ctx.Values.image.tag | default .ctx.Chart.AppVersion) -}}
{{- end -}}

{{/* PostgreSQL: the chart's CloudNativePG cluster, else the external server. */}}
{{- define "reelfarm.db.clusterName" -}}
{{- printf "%s-db" (include "reelfarm.fullname" .) -}}
{{- end -}}

{{/* A qualified host: KEDA's operator connects from its own namespace, so a bare Service name
is taken to be in the release's namespace. */}}
{{- define "reelfarm.db.host" -}}
{{- if .Values.postgresql.cloudnativepg.enabled -}}
{{- printf "%s-rw.%s.svc" (include "reelfarm.db.clusterName" .) .Release.Namespace -}}
{{- else if contains "." .Values.postgresql.host -}}
{{- .Values.postgresql.host -}}
{{- else -}}
{{- printf "%s.%s.svc" .Values.postgresql.host .Release.Namespace -}}
{{- end -}}
{{- end -}}

{{- define "reelfarm.db.port" -}}
{{- if .Values.postgresql.cloudnativepg.enabled }}5432{{ else }}{{ .Values.postgresql.port }}{{ end -}}
{{- end -}}

{{- define "reelfarm.db.url" -}}
{{- printf "jdbc:postgresql://%s:%s/%s?sslmode=%s" (include "reelfarm.db.host" .) (include "reelfarm.db.port" .) .Values.postgresql.database .Values.postgresql.sslmode -}}
{{- end -}}

{{/* The Secret and key holding the database password. */}}
{{- define "reelfarm.db.secretName" -}}
{{- if .Values.postgresql.cloudnativepg.enabled -}}
{{- printf "%s-app" (include "reelfarm.db.clusterName" .) -}}
{{- else if .Values.postgresql.existingSecret -}}
{{- .Values.postgresql.existingSecret -}}
{{- else -}}
{{- printf "%s-db" (include "reelfarm.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "reelfarm.db.secretKey" -}}
{{- if .Values.postgresql.cloudnativepg.enabled }}password{{ else }}{{ .Values.postgresql.passwordKey }}{{ end -}}
{{- end -}}

{{- define "reelfarm.artifacts.claimName" -}}
{{- .Values.artifacts.persistence.existingClaim | default (printf "%s-artifacts" (include "reelfarm.fullname" .)) -}}
{{- end -}}

{{/* The settings every service shares (the ConfigMap's keys). */}}
{{- define "reelfarm.sharedEnv" -}}
- name: REELFARM_KAFKA_BOOTSTRAP
  valueFrom: {configMapKeyRef: {name: {{ include "reelfarm.fullname" . }}-config, key: kafka-bootstrap}}
- name: REELFARM_ARTIFACTS_DIR
  valueFrom: {configMapKeyRef: {name: {{ include "reelfarm.fullname" . }}-config, key: artifacts-dir}}
- name: REELFARM_MODEL_BUNDLE
  valueFrom: {configMapKeyRef: {name: {{ include "reelfarm.fullname" . }}-config, key: model-bundle}}
{{- end -}}

{{/* A service's own settings: reelfarm.* keys as REELFARM_* variables (SmallRye's env names). */}}
{{- define "reelfarm.settingsEnv" -}}
{{- range $key, $value := . }}
- name: {{ regexReplaceAll "[^A-Za-z0-9]" $key "_" | upper }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* Liveness and readiness on a service's health endpoint (MicroProfile Health paths). */}}
{{- define "reelfarm.probes" -}}
startupProbe:
  httpGet: {path: /q/health/live, port: http}
  periodSeconds: 5
  failureThreshold: {{ .startupFailures }}
livenessProbe:
  httpGet: {path: /q/health/live, port: http}
  periodSeconds: 10
  failureThreshold: 3
readinessProbe:
  httpGet: {path: /q/health/ready, port: http}
  periodSeconds: 5
  failureThreshold: 3
{{- end -}}

{{/* The volumes every service mounts: the shared artifacts and a scratch /tmp (the root file
system is read-only; native libraries unpack into /tmp). */}}
{{- define "reelfarm.volumes" -}}
- name: artifacts
  persistentVolumeClaim:
    claimName: {{ include "reelfarm.artifacts.claimName" . }}
- name: tmp
  emptyDir: {}
{{- end -}}

{{- define "reelfarm.volumeMounts" -}}
- name: artifacts
  mountPath: {{ .Values.artifacts.dir }}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{- define "reelfarm.configChecksum" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- end -}}

{{/* Prometheus scrape annotations: every service serves /q/metrics on its http port (the argument). */}}
{{- define "reelfarm.scrapeAnnotations" -}}
prometheus.io/scrape: "true"
prometheus.io/path: /q/metrics
prometheus.io/port: {{ . | quote }}
{{- end -}}
