/** Store-level failures, mapped to Kubernetes Status objects or /v1 errors by the transports. */
export type StoreErrorReason = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Gone';

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
