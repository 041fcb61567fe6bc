// Kubernetes `Status` bodies for failed requests, shaped as kube-apiserver sends them,
// so kubectl prints its own error messages.

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
}

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): KubeStatus {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** What kube-apiserver answers for a path it does not serve. */
export function pathNotFound(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

/** `pods "web-0" not found` */
export function objectNotFound(resource: string, group: string, name: string): StatusError {
  const what = group === '' ? resource : `${resource}.${group}`;
  return new StatusError(404, 'NotFound', `${what} "${name}" not found`, {
    name,
    ...(group === '' ? {} : { group }),
    kind: resource,
  });
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

export function methodNotAllowed(method: string): StatusError {
  return new StatusError(405, 'MethodNotAllowed', `the recorded cluster is read-only: ${method} is not supported`);
}

/** The answer to a continue token from another list snapshot (etcd compaction in a real cluster). */
export function expired(message: string): StatusError {
  return new StatusError(410, 'Expired', message);
}
