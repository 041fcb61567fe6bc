// Hand-written, static checks for the NSA-framework controls that can be judged
// from manifests alone. Each check is a small reading of the matching
// kubescape/regolibrary rule (named in the comment) and reports the same kind
// of paths the rule reports (fix / delete / review / failed paths), because
// Kubescape places a SARIF result at the first of those paths.
//
// These are NOT regolibrary's Rego rules. They are close enough to produce
// realistic recordings for the cilock test stand-in, and the unit tests hold
// them to regolibrary's own rule tests (regolibrary/rule-tests).
//
// Controls of the NSA framework that are not checked here never appear in a
// recording: the cluster-only ones (C-0005, C-0058, C-0066, C-0067, C-0069,
// C-0070), and C-0002 (exec RBAC), C-0059/C-0292 (ingress-nginx versions) and
// C-0068 (PodSecurityPolicy), which need cluster state or image metadata.

export type K8sObject = Record<string, unknown>;

export interface FixPath {
  path: string;
  value: string;
}

/** One deny result of a rule for one resource. */
export interface Finding {
  fixPaths?: FixPath[];
  deletePaths?: string[];
  reviewPaths?: string[];
  failedPaths?: string[];
}

export interface CheckContext {
  /** Every object of the scan (all input files), for cross-resource rules. */
  all: K8sObject[];
}

export interface ControlCheck {
  control: string;
  rule: string;
  check(obj: K8sObject, ctx: CheckContext): Finding[];
}

// Defaults from Kubescape's control inputs (regolibrary default-config-inputs).
export const SENSITIVE_KEY_NAMES = [
  'aws_access_key_id',
  'aws_secret_access_key',
  'azure_batchai_storage_account',
  'azure_batchai_storage_key',
  'azure_batch_account',
  'azure_batch_key',
  'secret',
  'key',
  'password',
  'pwd',
  'token',
  'jwt',
  'bearer',
  'credential',
];
export const SENSITIVE_VALUES = ['BEGIN \\w+ PRIVATE KEY', 'PRIVATE KEY', 'eyJhbGciO', 'JWT', 'Bearer', '_key_', '_secret_'];
export const INSECURE_CAPABILITIES = [
  'SETPCAP',
  'NET_ADMIN',
  'NET_RAW',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_PTRACE',
  'SYS_ADMIN',
  'SYS_BOOT',
  'MAC_OVERRIDE',
  'MAC_ADMIN',
  'PERFMON',
  'ALL',
  'BPF',
];

const TEMPLATE_WORKLOADS = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job']);

function isObject(value: unknown): value is K8sObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function obj(value: unknown): K8sObject {
  return isObject(value) ? value : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function namespaceOf(o: K8sObject): string {
  return str(obj(o.metadata).namespace) ?? 'default';
}

/** The pod spec of a workload and the path prefix Kubescape's rules use for it. */
export interface PodSpecAt {
  spec: K8sObject;
  prefix: string;
  labels: K8sObject;
  annotations: K8sObject;
}

export function podSpecOf(o: K8sObject): PodSpecAt | undefined {
  const kind = str(o.kind);
  if (kind === 'Pod') {
    const meta = obj(o.metadata);
    return { spec: obj(o.spec), prefix: 'spec.', labels: obj(meta.labels), annotations: obj(meta.annotations) };
  }
  if (kind !== undefined && TEMPLATE_WORKLOADS.has(kind)) {
    const template = obj(obj(o.spec).template);
    const meta = obj(template.metadata);
    return {
      spec: obj(template.spec),
      prefix: 'spec.template.spec.',
      labels: obj(meta.labels),
      annotations: obj(meta.annotations),
    };
  }
  if (kind === 'CronJob') {
    const template = obj(obj(obj(obj(o.spec).jobTemplate).spec).template);
    const meta = obj(template.metadata);
    return {
      spec: obj(template.spec),
      prefix: 'spec.jobTemplate.spec.template.spec.',
      labels: obj(meta.labels),
      annotations: obj(meta.annotations),
    };
  }
  return undefined;
}

interface ContainerAt {
  container: K8sObject;
  securityContext: K8sObject;
  path: string;
}

function containersOf(pod: PodSpecAt): ContainerAt[] {
  return list(pod.spec.containers).map((c, i) => ({
    container: obj(c),
    securityContext: obj(obj(c).securityContext),
    path: `${pod.prefix}containers[${i}]`,
  }));
}

/** A check run once per container of a workload. */
function perContainer(fn: (c: ContainerAt, pod: PodSpecAt) => Finding[]): ControlCheck['check'] {
  return (o) => {
    const pod = podSpecOf(o);
    if (!pod) return [];
    return containersOf(pod).flatMap((c) => fn(c, pod));
  };
}

// C-0012 rule-credentials-in-env-var: literal env values under sensitive names, or with sensitive content.
const credentialsInEnv = perContainer((c) =>
  list(c.container.env).flatMap((e, j): Finding[] => {
    const env = obj(e);
    const name = str(env.name) ?? '';
    const value = str(env.value);
    if (value === undefined || value === '' || value.startsWith('/')) return [];
    const byName = SENSITIVE_KEY_NAMES.some((k) => name.toLowerCase().includes(k.toLowerCase()));
    const byValue = SENSITIVE_VALUES.some((v) => value.toLowerCase().includes(v.toLowerCase()));
    if (!byName && !byValue) return [];
    const paths = [`${c.path}.env[${j}].name`, `${c.path}.env[${j}].value`];
    return [{ deletePaths: paths, failedPaths: paths }];
  }),
);

// C-0012 rule-credentials-configmap: ConfigMap entries under sensitive names or with sensitive content.
function credentialsInConfigMap(o: K8sObject): Finding[] {
  if (o.kind !== 'ConfigMap') return [];
  return Object.entries(obj(o.data)).flatMap(([key, raw]): Finding[] => {
    const value = typeof raw === 'string' ? raw : '';
    if (value === '') return [];
    const byName = SENSITIVE_KEY_NAMES.some((k) => key.toLowerCase().includes(k.toLowerCase()));
    const byValue = SENSITIVE_VALUES.some((v) => value.toLowerCase().includes(v.toLowerCase()));
    if (!byName && !byValue) return [];
    const paths = [`data[${key}]`];
    return [{ deletePaths: paths, failedPaths: paths }];
  });
}

// C-0013 non-root-containers: the container must run as a non-root user and with a non-root group.
// Container-level securityContext fields override the pod-level ones.
const nonRootContainers = perContainer((c, pod) => {
  const podSc = obj(pod.spec.securityContext);
  const nonRoot = c.securityContext.runAsNonRoot ?? podSc.runAsNonRoot;
  const user = c.securityContext.runAsUser ?? podSc.runAsUser;
  const group = c.securityContext.runAsGroup ?? podSc.runAsGroup;
  const userOk = nonRoot === true || (typeof user === 'number' && user > 0);
  const groupOk = typeof group === 'number' && group > 0;
  const fixPaths: FixPath[] = [];
  if (!userOk) fixPaths.push({ path: `${c.path}.securityContext.runAsNonRoot`, value: 'true' });
  if (!groupOk) fixPaths.push({ path: `${c.path}.securityContext.runAsGroup`, value: '1000' });
  return fixPaths.length > 0 ? [{ fixPaths }] : [];
});

// C-0016 rule-allow-privilege-escalation: allowPrivilegeEscalation must be explicitly false.
const allowPrivilegeEscalation = perContainer((c) =>
  c.securityContext.allowPrivilegeEscalation === false
    ? []
    : [
        {
          fixPaths: [
            { path: `${c.path}.securityContext.allowPrivilegeEscalation`, value: 'false' },
            { path: `${c.path}.securityContext.privileged`, value: 'false' },
          ],
        },
      ],
);

// C-0017 immutable-container-filesystem: readOnlyRootFilesystem must be true.
const immutableFilesystem = perContainer((c) =>
  c.securityContext.readOnlyRootFilesystem === true
    ? []
    : [{ fixPaths: [{ path: `${c.path}.securityContext.readOnlyRootFilesystem`, value: 'true' }] }],
);

// C-0030 ingress-and-egress-blocked: a workload needs a NetworkPolicy in its namespace that selects
// its pods and has both Ingress and Egress policy types.
function ingressAndEgressBlocked(o: K8sObject, ctx: CheckContext): Finding[] {
  const pod = podSpecOf(o);
  if (!pod) return [];
  const ns = namespaceOf(o);
  const selecting = ctx.all.filter((np) => {
    if (np.kind !== 'NetworkPolicy' || namespaceOf(np) !== ns) return false;
    const selector = obj(obj(np.spec).podSelector);
    const matchLabels = obj(selector.matchLabels);
    return Object.entries(matchLabels).every(([k, v]) => pod.labels[k] === v);
  });
  const good = selecting.some((np) => {
    const types = list(obj(np.spec).policyTypes);
    return types.includes('Ingress') && types.includes('Egress');
  });
  return good ? [] : [{}];
}

// C-0034 automount-service-account: pods must not mount the service account token, either by their own
// setting or by their service account's; a ServiceAccount should switch automounting off.
function automountServiceAccount(o: K8sObject, ctx: CheckContext): Finding[] {
  if (o.kind === 'ServiceAccount') {
    if (o.automountServiceAccountToken === true) return [{ failedPaths: ['automountServiceAccountToken'] }];
    if (o.automountServiceAccountToken === false) return [];
    return [{ fixPaths: [{ path: 'automountServiceAccountToken', value: 'false' }] }];
  }
  const pod = podSpecOf(o);
  if (!pod) return [];
  const path = `${pod.prefix}automountServiceAccountToken`;
  const setting = pod.spec.automountServiceAccountToken;
  if (setting === true) return [{ failedPaths: [path], fixPaths: [{ path, value: 'false' }] }];
  if (setting === false) return [];
  const saName = str(pod.spec.serviceAccountName) ?? str(pod.spec.serviceAccount) ?? 'default';
  const ns = namespaceOf(o);
  const sa = ctx.all.find((s) => s.kind === 'ServiceAccount' && str(obj(s.metadata).name) === saName && namespaceOf(s) === ns);
  if (sa && sa.automountServiceAccountToken === false) return [];
  return [{ fixPaths: [{ path, value: 'false' }] }];
}

// C-0035 rule-list-all-cluster-admins-v1: bindings that grant cluster-admin, or a role allowing every verb
// on every resource. (Kubescape reports the bound subjects; the stand-in reports the binding, which has a file.)
function administrativeRoles(o: K8sObject, ctx: CheckContext): Finding[] {
  if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') return [];
  const subjects = list(o.subjects);
  if (subjects.length === 0) return [];
  const ref = obj(o.roleRef);
  const refKind = str(ref.kind);
  const refName = str(ref.name);
  let admin = refKind === 'ClusterRole' && refName === 'cluster-admin';
  if (!admin) {
    const role = ctx.all.find(
      (r) =>
        r.kind === refKind &&
        str(obj(r.metadata).name) === refName &&
        (refKind === 'ClusterRole' || namespaceOf(r) === namespaceOf(o)),
    );
    admin = list(role?.rules).some((rule) => {
      const r = obj(rule);
      const groups = list(r.apiGroups);
      return list(r.verbs).includes('*') && list(r.resources).includes('*') && (groups.includes('*') || groups.includes(''));
    });
  }
  if (!admin) return [];
  return [{ deletePaths: subjects.map((_s, k) => `subjects[${k}]`), failedPaths: ['roleRef.name'] }];
}

// C-0038 host-pid-ipc-privileges.
function hostPidIpc(o: K8sObject): Finding[] {
  const pod = podSpecOf(o);
  if (!pod) return [];
  const out: Finding[] = [];
  for (const field of ['hostPID', 'hostIPC']) {
    if (pod.spec[field] === true) {
      const path = `${pod.prefix}${field}`;
      out.push({ deletePaths: [path], failedPaths: [path] });
    }
  }
  return out;
}

// C-0041 host-network-access.
function hostNetwork(o: K8sObject): Finding[] {
  const pod = podSpecOf(o);
  if (!pod || pod.spec.hostNetwork !== true) return [];
  const path = `${pod.prefix}hostNetwork`;
  return [{ deletePaths: [path], failedPaths: [path] }];
}

// C-0044 container-hostPort.
const containerHostPort = perContainer((c) =>
  list(c.container.ports).flatMap((p, j): Finding[] => {
    const hostPort = obj(p).hostPort;
    if (hostPort === undefined || hostPort === null || hostPort === 0) return [];
    const path = `${c.path}.ports[${j}].hostPort`;
    return [{ deletePaths: [path], failedPaths: [path] }];
  }),
);

// C-0046 insecure-capabilities: capabilities added from the insecure list.
const insecureCapabilities = perContainer((c) =>
  list(obj(c.securityContext.capabilities).add).flatMap((cap, k): Finding[] => {
    if (typeof cap !== 'string' || !INSECURE_CAPABILITIES.includes(cap.toUpperCase())) return [];
    const path = `${c.path}.securityContext.capabilities.add[${k}]`;
    return [{ deletePaths: [path], failedPaths: [path] }];
  }),
);

// C-0054 internal-networking: a namespace without any NetworkPolicy.
function internalNetworking(o: K8sObject, ctx: CheckContext): Finding[] {
  if (o.kind !== 'Namespace') return [];
  const name = str(obj(o.metadata).name);
  const covered = ctx.all.some((np) => np.kind === 'NetworkPolicy' && namespaceOf(np) === name);
  return covered ? [] : [{}];
}

// C-0055 linux-hardening: no seccomp, SELinux, AppArmor or dropped capabilities anywhere.
function linuxHardening(o: K8sObject): Finding[] {
  const pod = podSpecOf(o);
  if (!pod) return [];
  const podSc = obj(pod.spec.securityContext);
  if (podSc.seccompProfile !== undefined || podSc.seLinuxOptions !== undefined) return [];
  if (Object.keys(pod.annotations).some((k) => k.startsWith('container.apparmor.security.beta.kubernetes.io'))) return [];
  return containersOf(pod).flatMap((c): Finding[] => {
    const sc = c.securityContext;
    if (sc.seccompProfile !== undefined || sc.seLinuxOptions !== undefined) return [];
    if (obj(sc.capabilities).drop !== undefined) return [];
    return [
      {
        fixPaths: ['seccompProfile', 'seLinuxOptions', 'capabilities.drop[0]'].map((field) => ({
          path: `${c.path}.securityContext.${field}`,
          value: 'YOUR_VALUE',
        })),
      },
    ];
  });
}

// C-0057 rule-privilege-escalation (privileged container): privileged: true, or SYS_ADMIN added.
const privilegedContainer = perContainer((c) => {
  const out: Finding[] = [];
  if (c.securityContext.privileged === true) {
    const path = `${c.path}.securityContext.privileged`;
    out.push({ deletePaths: [path], failedPaths: [path] });
  }
  list(obj(c.securityContext.capabilities).add).forEach((cap, k) => {
    if (typeof cap === 'string' && cap.toUpperCase() === 'SYS_ADMIN') {
      const path = `${c.path}.securityContext.capabilities.add[${k}]`;
      out.push({ deletePaths: [path], failedPaths: [path] });
    }
  });
  return out;
});

// C-0270 resources-cpu-limits / C-0271 resources-memory-limits.
function limitCheck(resource: 'cpu' | 'memory'): ControlCheck['check'] {
  return perContainer((c) => {
    const limits = obj(obj(c.container.resources).limits);
    if (limits[resource] !== undefined && limits[resource] !== null) return [];
    return [{ fixPaths: [{ path: `${c.path}.resources.limits.${resource}`, value: 'YOUR_VALUE' }] }];
  });
}

/** The checks, in control-id order. */
export const NSA_CHECKS: ControlCheck[] = [
  {
    control: 'C-0012',
    rule: 'rule-credentials-in-env-var, rule-credentials-configmap',
    check: (o, ctx) => [...credentialsInEnv(o, ctx), ...credentialsInConfigMap(o)],
  },
  { control: 'C-0013', rule: 'non-root-containers', check: nonRootContainers },
  { control: 'C-0016', rule: 'rule-allow-privilege-escalation', check: allowPrivilegeEscalation },
  { control: 'C-0017', rule: 'immutable-container-filesystem', check: immutableFilesystem },
  { control: 'C-0030', rule: 'ingress-and-egress-blocked', check: ingressAndEgressBlocked },
  { control: 'C-0034', rule: 'automount-service-account', check: automountServiceAccount },
  { control: 'C-0035', rule: 'rule-list-all-cluster-admins-v1', check: administrativeRoles },
  { control: 'C-0038', rule: 'host-pid-ipc-privileges', check: hostPidIpc },
  { control: 'C-0041', rule: 'host-network-access', check: hostNetwork },
  { control: 'C-0044', rule: 'container-hostPort', check: containerHostPort },
  { control: 'C-0046', rule: 'insecure-capabilities', check: insecureCapabilities },
  { control: 'C-0054', rule: 'internal-networking', check: internalNetworking },
  { control: 'C-0055', rule: 'linux-hardening', check: linuxHardening },
  { control: 'C-0057', rule: 'rule-privilege-escalation', check: privilegedContainer },
  { control: 'C-0270', rule: 'resources-cpu-limits', check: limitCheck('cpu') },
  { control: 'C-0271', rule: 'resources-memory-limits', check: limitCheck('memory') },
];

/**
 * Kubescape pins a SARIF result to the first of a control's paths, in this order:
 * fix paths, delete paths, review paths, failed paths (AssistedRemediationPathsToString).
 */
export function firstPath(findings: Finding[]): string | undefined {
  const all = [
    ...findings.flatMap((f) => (f.fixPaths ?? []).map((p) => p.path)),
    ...findings.flatMap((f) => f.deletePaths ?? []),
    ...findings.flatMap((f) => f.reviewPaths ?? []),
    ...findings.flatMap((f) => f.failedPaths ?? []),
  ];
  return all.find((p) => p !== '');
}
