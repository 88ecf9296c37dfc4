import type { Catalog } from './types.ts';

const pkg = 'io.k8s.apimachinery.pkg.apis.meta.v1';

export const metaTypes: Catalog = {
  ObjectMeta: {
    pkg,
    description: 'Metadata every persisted object has: identity, labels, annotations, owners and lifecycle markers.',
    fields: {
      name: ['string', 'Unique name of the object within its namespace (or the cluster, for cluster-scoped kinds). Cannot be changed.'],
      generateName: ['string', 'Prefix the server completes with five random characters when no name is given.'],
      namespace: ['string', 'Namespace the object lives in; empty for cluster-scoped kinds.'],
      selfLink: ['string', 'Deprecated and never set.'],
      uid: ['string', 'Unique id given by the server at creation; distinguishes objects that reuse a name over time.'],
      resourceVersion: ['string', 'Opaque version of this object, changed by every write; used for optimistic concurrency and watches.'],
      generation: ['integer', 'Sequence number of changes to the desired state (spec), maintained by the server.'],
      creationTimestamp: ['Time', 'When the server created the object (RFC 3339, UTC).'],
      deletionTimestamp: ['Time', 'When deletion was requested; the object goes once its finalizers are gone (and, for pods, after the grace period).'],
      deletionGracePeriodSeconds: ['integer', 'Seconds the object is allowed to terminate gracefully before it is removed.'],
      labels: ['map[string]string', 'Key/value pairs used to organise and select objects.'],
      annotations: ['map[string]string', 'Arbitrary non-identifying metadata for tools and humans.'],
      ownerReferences: ['[]OwnerReference', 'Objects this one depends on; when all owners are gone it is garbage collected.'],
      finalizers: ['[]string', 'Conditions that must be cleared before the object is deleted from storage.'],
      managedFields: ['[]ManagedFieldsEntry', 'Which field manager owns which fields (server-side apply bookkeeping).'],
    },
  },
  OwnerReference: {
    pkg,
    description: 'Identifies an owning object, which must be in the same namespace or cluster-scoped.',
    required: ['apiVersion', 'kind', 'name', 'uid'],
    fields: {
      apiVersion: ['string', 'API version of the owner.'],
      kind: ['string', 'Kind of the owner.'],
      name: ['string', 'Name of the owner.'],
      uid: ['string', 'UID of the owner.'],
      controller: ['boolean', 'True when this owner is the managing controller; at most one owner may say so.'],
      blockOwnerDeletion: ['boolean', 'When true, a foreground deletion of the owner waits for this object to go first.'],
    },
  },
  LabelSelector: {
    pkg,
    description: 'A label query: the results of matchLabels and matchExpressions are ANDed. An empty selector matches everything; a missing one matches nothing.',
    fields: {
      matchLabels: ['map[string]string', 'Each pair is an equality requirement on a label.'],
      matchExpressions: ['[]LabelSelectorRequirement', 'Set-based requirements on labels.'],
    },
  },
  LabelSelectorRequirement: {
    pkg,
    description: 'A requirement relating a label key to a set of values.',
    required: ['key', 'operator'],
    fields: {
      key: ['string', 'The label key.'],
      operator: ['string', 'One of In, NotIn, Exists or DoesNotExist.'],
      values: ['[]string', 'Values for In and NotIn; must be empty for Exists and DoesNotExist.'],
    },
  },
  ManagedFieldsEntry: {
    pkg,
    description: 'The fields one manager owns, recorded by the server for server-side apply.',
    fields: {
      manager: ['string', 'Name of the field manager.'],
      operation: ['string', 'Apply or Update.'],
      apiVersion: ['string', 'API version the fields are expressed in.'],
      time: ['Time', 'When the entry last changed.'],
      fieldsType: ['string', 'Format of fieldsV1; always FieldsV1.'],
      fieldsV1: ['object', 'The owned fields as a trie of f:, k:, v: and i: path elements.'],
      subresource: ['string', 'The subresource the write went to, if any.'],
    },
  },
};
