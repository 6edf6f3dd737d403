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

{{/* The artifact store, fs or s3 (anything else fails the release). */}}
{{- define "reelfarm.artifacts.store" -}}
{{- $store := .Values.artifacts.store | default "fs" -}}
{{- if not (has $store (list "fs" "s3")) -}}
{{- fail (printf "artifacts.store must be fs or s3, not %q" $store) -}}
{{- end -}}
{{- $store -}}
{{- end -}}

{{/* The settings every service shares, as ConfigMap keys: each one is the REELFARM_* variable of
its name (kafka-bootstrap: REELFARM_KAFKA_BOOTSTRAP). Optional keys left empty are left out. */}}
{{- define "reelfarm.sharedSettings" -}}
{{- $artifacts := .Values.artifacts -}}
kafka-bootstrap: {{ .Values.kafka.bootstrap | quote }}
model-bundle: {{ .Values.model.bundle | quote }}
artifacts-store: {{ include "reelfarm.artifacts.store" . | quote }}
{{- if eq (include "reelfarm.artifacts.store" .) "s3" }}
{{- with $artifacts.s3 }}
artifacts-scratch-dir: {{ $artifacts.scratchDir | quote }}
{{- with .endpoint }}
artifacts-s3-endpoint: {{ . | quote }}
{{- end }}
artifacts-s3-region: {{ .region | quote }}
artifacts-s3-bucket: {{ .bucket | quote }}
{{- with .prefix }}
artifacts-s3-prefix: {{ . | quote }}
{{- end }}
artifacts-s3-path-style: {{ .pathStyle | toString | quote }}
artifacts-s3-presign: {{ .presign | toString | quote }}
artifacts-s3-presign-expiry-seconds: {{ .presignExpirySeconds | toString | quote }}
{{- end }}
{{- else }}
artifacts-dir: {{ $artifacts.dir | quote }}
{{- end }}
{{- end -}}

{{/* The S3 store's static credentials: an existing Secret, else the chart's (with accessKey). */}}
{{- define "reelfarm.artifacts.s3.hasCredentials" -}}
{{- with .Values.artifacts.s3 -}}
{{- if and (eq (include "reelfarm.artifacts.store" $) "s3") (or .existingSecret .accessKey) }}true{{ end -}}
{{- end -}}
{{- end -}}

{{- define "reelfarm.artifacts.s3.secretName" -}}
{{- .Values.artifacts.s3.existingSecret | default (printf "%s-s3" (include "reelfarm.fullname" .)) -}}
{{- end -}}

{{/* The environment every service shares: the shared settings and the S3 credentials. */}}
{{- define "reelfarm.sharedEnv" -}}
{{- include "reelfarm.sharedEnvEntries" . | trim -}}
{{- end -}}

{{- define "reelfarm.sharedEnvEntries" -}}
{{- $config := printf "%s-config" (include "reelfarm.fullname" .) -}}
{{- range $key, $_ := include "reelfarm.sharedSettings" . | fromYaml }}
- name: REELFARM_{{ $key | replace "-" "_" | upper }}
  valueFrom: {configMapKeyRef: {name: {{ $config }}, key: {{ $key }}}}
{{- end }}
{{- if include "reelfarm.artifacts.s3.hasCredentials" . }}
{{- $secret := include "reelfarm.artifacts.s3.secretName" . }}
- name: REELFARM_ARTIFACTS_S3_ACCESS_KEY
  valueFrom: {secretKeyRef: {name: {{ $secret }}, key: {{ .Values.artifacts.s3.accessKeyKey }}}}
- name: REELFARM_ARTIFACTS_S3_SECRET_KEY
  valueFrom: {secretKeyRef: {name: {{ $secret }}, key: {{ .Values.artifacts.s3.secretKeyKey }}}}
{{- end }}
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

{{/* The volumes every service mounts: the artifacts (fs: the shared claim; s3: this pod's own
scratch directory) and a scratch /tmp (the root file system is read-only; native libraries
unpack into /tmp). */}}
{{- define "reelfarm.volumes" -}}
{{- if eq (include "reelfarm.artifacts.store" .) "s3" -}}
- name: scratch
  emptyDir: {}
{{- else -}}
- name: artifacts
  persistentVolumeClaim:
    claimName: {{ include "reelfarm.artifacts.claimName" . }}
{{- end }}
- name: tmp
  emptyDir: {}
{{- end -}}

{{- define "reelfarm.volumeMounts" -}}
{{- if eq (include "reelfarm.artifacts.store" .) "s3" -}}
- name: scratch
  mountPath: {{ .Values.artifacts.scratchDir }}
{{- else -}}
- name: artifacts
  mountPath: {{ .Values.artifacts.dir }}
{{- end }}
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
