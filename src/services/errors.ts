/**
 * What a service refuses, in its own words: each transport maps it once (the /v1 error shape in
 * `api/errors.ts`, a Kubernetes Status where the Kubernetes API calls a service).
 */
export type ServiceErrorCode = 'not_found' | 'conflict' | 'invalid' | 'quota_exceeded' | 'forbidden' | 'unavailable';

export interface FieldIssue {
  field: string;
  message: string;
}

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** A refusal with one issue per failing field; the message names the first. */
export function invalidFields(issues: FieldIssue[]): ServiceError {
  return new ServiceError('invalid', `${issues[0].field}: ${issues[0].message}`, { issues });
}
