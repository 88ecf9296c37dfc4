import { hexDigest, stableBucket } from '../lib/digest.ts';

/**
 * Container images as a node's runtime sees them: containerd reports fully qualified names
 * (`nginx` is `docker.io/library/nginx:latest`) and a digest-pinned imageID.
 */
export function normalizeImage(image: string): string {
  let name = image;
  const digestAt = name.indexOf('@');
  const digest = digestAt >= 0 ? name.slice(digestAt) : '';
  if (digestAt >= 0) name = name.slice(0, digestAt);
  const firstSlash = name.indexOf('/');
  const head = firstSlash >= 0 ? name.slice(0, firstSlash) : '';
  const hasRegistry = head.includes('.') || head.includes(':') || head === 'localhost';
  if (!hasRegistry) name = `docker.io/${firstSlash >= 0 ? name : `library/${name}`}`;
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  if (!digest && !lastSegment.includes(':')) name += ':latest';
  return name + digest;
}

/** `docker.io/library/nginx@sha256:…`: the repository plus a digest stable for a given reference. */
export function imageId(image: string): string {
  const full = normalizeImage(image);
  const at = full.indexOf('@');
  if (at >= 0) return full;
  const repo = full.slice(0, full.lastIndexOf(':'));
  return `${repo}@sha256:${hexDigest(`image:${full}`)}`;
}

/** A plausible compressed size in bytes (20–400 MB), stable per image. */
export function imageSizeBytes(image: string): number {
  const mb = 20 + stableBucket(`size:${normalizeImage(image)}`, 380);
  return mb * 1_000_000;
}

/** Simulated registry throughput: 50 MB/s, so a 70 MB nginx pulls in 1.4 s. */
const PULL_BYTES_PER_SECOND = 50_000_000;

export function defaultPullSeconds(image: string): number {
  return Math.round((imageSizeBytes(image) / PULL_BYTES_PER_SECOND) * 10) / 10;
}

/** Kubernetes image names must be lower-case references; anything else is `InvalidImageName`. */
export function isValidImageName(image: string): boolean {
  return /^[a-z0-9]+([._\-/:@][a-zA-Z0-9_.\-]+)*$/.test(image) && !/[A-Z]/.test(image.split(/[:@]/)[0]);
}
