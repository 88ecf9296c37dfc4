/** Store-level failures, mapped to Kubernetes Status objects or /v1 errors by the transports. */
/** `Forbidden`: a commit would take a cluster past a bound of its plan (see ObjectStore.limitPods). */
export type StoreErrorReason = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Gone' | 'Forbidden';

export class StoreError extends Error {
  constructor(
    readonly reason: StoreErrorReason,
    message: string,
    readonly details: { resource?: string; namespace?: string; name?: string } = {},
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
