import type { Controller } from './runtime.ts';
import { replicaSetController } from './replicaset/controller.ts';
import { replicationControllerController } from './replicationcontroller/controller.ts';
import { deploymentController } from './deployment/controller.ts';
import { statefulSetController } from './statefulset/controller.ts';
import { daemonSetController } from './daemonset/controller.ts';
import { jobController } from './job/controller.ts';
import { ttlAfterFinishedController } from './ttl-after-finished/controller.ts';
import { cronJobController } from './cronjob/controller.ts';
import { garbageCollector } from './garbage-collector/controller.ts';
import { namespaceController } from './namespace/controller.ts';
import { disruptionController } from './disruption/controller.ts';
import { resourceQuotaController } from './resourcequota/controller.ts';
import { schedulerController } from './scheduler.ts';
import { kubeletController } from '../kubelet/controller.ts';
import { nodeHeartbeatController } from '../kubelet/node-heartbeat.ts';
import { nodeLifecycleController } from '../kubelet/node-lifecycle.ts';
import { taintEvictionController } from '../kubelet/taint-eviction.ts';
import { monitoringController } from '../monitoring/controller.ts';
import { endpointsController } from '../network/endpoints-controller.ts';
import { serviceController } from '../network/service-controller.ts';
import { ingressController } from '../network/ingress-controller.ts';
import { persistentVolumeController } from '../storage/controller.ts';
import { metricsController } from '../metrics/controller.ts';
import { hpaController } from '../autoscaling/hpa/controller.ts';
import { clusterAutoscalerController } from '../autoscaling/cluster-autoscaler/controller.ts';
import { vpaController } from '../autoscaling/vpa/controller.ts';
import { serviceAccountController } from './serviceaccount/controller.ts';
import { rbacBootstrapController } from './rbac-bootstrap/controller.ts';
import { nodePoolController } from './node-pools/controller.ts';
import { crdCleanupController } from './crd-cleanup/controller.ts';

/** Every controller the queue runtime runs per cluster. One line per controller; keep edits additive. */
export const controllers: Controller[] = [
  replicaSetController,
  replicationControllerController,
  deploymentController,
  statefulSetController,
  daemonSetController,
  jobController,
  ttlAfterFinishedController,
  cronJobController,
  garbageCollector,
  namespaceController,
  disruptionController,
  resourceQuotaController,
  schedulerController,
  kubeletController,
  nodeHeartbeatController,
  nodeLifecycleController,
  taintEvictionController,
  endpointsController,
  serviceController,
  ingressController,
  persistentVolumeController,
  monitoringController,
  metricsController,
  hpaController,
  clusterAutoscalerController,
  vpaController,
  serviceAccountController,
  rbacBootstrapController,
  nodePoolController,
  crdCleanupController,
];
