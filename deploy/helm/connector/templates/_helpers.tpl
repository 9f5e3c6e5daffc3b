{{- define "connector.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "connector.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "connector.labels" -}}
app.kubernetes.io/name: {{ include "connector.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "connector.selectorLabels" -}}
app.kubernetes.io/name: {{ include "connector.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "connector.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "connector.checks" -}}
{{- if and (eq .Values.mode "deployment") (gt (int .Values.replicaCount) 1) (eq .Values.storage.provider "Sqlite") -}}
{{- fail "replicaCount > 1 needs a server database (storage.provider: Postgres or SqlServer); SQLite serves one replica." -}}
{{- end -}}
{{- if and (ne .Values.storage.provider "Sqlite") (not .Values.storage.existingSecret) (not .Values.storage.connectionString) -}}
{{- fail (printf "storage.provider %s needs storage.existingSecret: the Secret (key storage.key) that holds the connection string with its password." .Values.storage.provider) -}}
{{- end -}}
{{- if and (eq .Values.salesforce.authFlow "JwtBearer") (not .Values.salesforce.privateKey.existingSecret) -}}
{{- fail "salesforce.privateKey.existingSecret is required with authFlow JwtBearer: the Secret that holds the PEM key." -}}
{{- end -}}
{{- if and (eq .Values.salesforce.authFlow "ClientCredentials") (not .Values.salesforce.clientSecret.existingSecret) -}}
{{- fail "salesforce.clientSecret.existingSecret is required with authFlow ClientCredentials." -}}
{{- end -}}
{{- end -}}

{{/* The pod: the same for the Deployment and the CronJob, but for its arguments and probes. */}}
{{- define "connector.podSpec" -}}
{{- $root := .root -}}
{{- with $root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml $root.Values.podSecurityContext | nindent 2 }}
containers:
  - name: connector
    image: {{ include "connector.image" $root }}
    imagePullPolicy: {{ $root.Values.image.pullPolicy }}
    args:
      {{- toYaml .args | nindent 6 }}
    securityContext:
      {{- toYaml $root.Values.securityContext | nindent 6 }}
    {{- if $root.Values.settings }}
    envFrom:
      - configMapRef:
          name: {{ include "connector.fullname" $root }}-settings
    {{- end }}
    env:
      - name: Connector__Salesforce__LoginUrl
        value: {{ $root.Values.salesforce.loginUrl | quote }}
      - name: Connector__Salesforce__AuthFlow
        value: {{ $root.Values.salesforce.authFlow | quote }}
      - name: Connector__Salesforce__ClientId
        value: {{ $root.Values.salesforce.clientId | quote }}
      - name: Connector__Salesforce__Username
        value: {{ $root.Values.salesforce.username | quote }}
      - name: Connector__Salesforce__ApiVersion
        value: {{ $root.Values.salesforce.apiVersion | quote }}
      {{- if $root.Values.salesforce.privateKey.existingSecret }}
      - name: Connector__Salesforce__PrivateKeyPath
        value: /var/run/secrets/connector/{{ $root.Values.salesforce.privateKey.key }}
      {{- end }}
      {{- if $root.Values.salesforce.clientSecret.existingSecret }}
      - name: Connector__Salesforce__ClientSecret
        valueFrom:
          secretKeyRef:
            name: {{ $root.Values.salesforce.clientSecret.existingSecret }}
            key: {{ $root.Values.salesforce.clientSecret.key }}
      {{- end }}
      - name: Connector__Storage__Provider
        value: {{ $root.Values.storage.provider | quote }}
      {{- if $root.Values.storage.existingSecret }}
      - name: Connector__Storage__ConnectionString
        valueFrom:
          secretKeyRef:
            name: {{ $root.Values.storage.existingSecret }}
            key: {{ $root.Values.storage.key }}
      {{- else }}
      - name: Connector__Storage__ConnectionString
        value: {{ $root.Values.storage.connectionString | default "Data Source=/data/connector.db" | quote }}
      {{- end }}
      {{- if $root.Values.mapping.yaml }}
      - name: Connector__Mapping__Path
        value: /etc/connector/mapping.yaml
      {{- end }}
      - name: Connector__Billing__TimeZone
        value: {{ $root.Values.billing.timeZone | quote }}
      - name: Connector__Billing__InvoiceSeries
        value: {{ $root.Values.billing.invoiceSeries | quote }}
      - name: Connector__Billing__Seller__Name
        value: {{ $root.Values.billing.seller.name | quote }}
      {{- with $root.Values.billing.seller.taxId }}
      - name: Connector__Billing__Seller__TaxId
        value: {{ . | quote }}
      {{- end }}
      - name: Connector__Sync__PollInterval
        value: {{ $root.Values.sync.pollInterval | quote }}
      - name: Connector__Health__Port
        value: {{ $root.Values.health.port | quote }}
      - name: DOTNET_RUNNING_IN_CONTAINER
        value: "true"
    {{- if .probes }}
    ports:
      - name: health
        containerPort: {{ $root.Values.health.port }}
    livenessProbe:
      httpGet:
        path: /healthz
        port: health
      {{- toYaml $root.Values.probes.liveness | nindent 6 }}
    readinessProbe:
      httpGet:
        path: /readyz
        port: health
      {{- toYaml $root.Values.probes.readiness | nindent 6 }}
    {{- end }}
    resources:
      {{- toYaml $root.Values.resources | nindent 6 }}
    volumeMounts:
      - name: tmp
        mountPath: /tmp
      {{- if eq $root.Values.storage.provider "Sqlite" }}
      - name: data
        mountPath: /data
      {{- end }}
      {{- if $root.Values.salesforce.privateKey.existingSecret }}
      - name: salesforce-key
        mountPath: /var/run/secrets/connector
        readOnly: true
      {{- end }}
      {{- if $root.Values.mapping.yaml }}
      - name: mapping
        mountPath: /etc/connector
        readOnly: true
      {{- end }}
volumes:
  - name: tmp
    emptyDir: {}
  {{- if eq $root.Values.storage.provider "Sqlite" }}
  - name: data
    {{- if $root.Values.persistence.enabled }}
    persistentVolumeClaim:
      claimName: {{ $root.Values.persistence.existingClaim | default (include "connector.fullname" $root) }}
    {{- else }}
    emptyDir: {}
    {{- end }}
  {{- end }}
  {{- if $root.Values.salesforce.privateKey.existingSecret }}
  - name: salesforce-key
    secret:
      secretName: {{ $root.Values.salesforce.privateKey.existingSecret }}
      defaultMode: 0400
      items:
        - key: {{ $root.Values.salesforce.privateKey.key }}
          path: {{ $root.Values.salesforce.privateKey.key }}
  {{- end }}
  {{- if $root.Values.mapping.yaml }}
  - name: mapping
    configMap:
      name: {{ include "connector.fullname" $root }}-mapping
  {{- end }}
{{- with $root.Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $root.Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $root.Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
