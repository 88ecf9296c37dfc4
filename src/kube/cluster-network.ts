import { parseCidr } from '../lib/cidr.ts';

/** kubeadm's service range; the `kubernetes` Service takes its first address (k8s-behavior §0). */
export const SERVICE_CIDR = parseCidr('10.96.0.0/12');
/** Node ports, kube-apiserver `--service-node-port-range` default. */
export const NODE_PORT_RANGE = { first: 30000, last: 32767 };
/**
 * Pod network; each node gets one /24 of it as `spec.podCIDR`. The kubeadm/flannel 10.244.0.0/16
 * holds only 256 nodes, so the range is the /9 around it (no overlap with the service range) and
 * numbering starts at 10.244.0.0/24, so small clusters look the way people know.
 */
export const CLUSTER_POD_CIDR = parseCidr('10.128.0.0/9');
export const NODE_POD_CIDR_PREFIX = 24;
export const FIRST_NODE_POD_SUBNET = (244 - 128) * 256;
export const CLUSTER_DOMAIN = 'cluster.local';
/** The address `kubernetes.default` endpoints point at (the simulated control plane). */
export const API_SERVER_ENDPOINT = { ip: '172.20.0.2', port: 443 };
/** Where simulated node InternalIPs come from. */
export const NODE_NETWORK_CIDR = parseCidr('172.20.0.0/16');

/** Resource keys of the reservation objects that make service addresses unique per cluster. */
export const IP_ADDRESS_RESOURCE = 'ipaddresses.networking.k8s.io';
export const NODE_PORT_RESOURCE = 'servicenodeports.kates.dev';
