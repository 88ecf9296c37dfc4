const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a, the hash Kubernetes uses for pod-template-hash. */
export function fnv1a32(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let h = seed;
  for (const b of bytes) h = Math.imul(h ^ b, FNV_PRIME);
  return h >>> 0;
}

/** 32-bit FNV-1 (multiply, then xor), the hash Kubernetes uses for ControllerRevision names. */
export function fnv1_32(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let h = seed;
  for (const b of bytes) h = Math.imul(h, FNV_PRIME) ^ b;
  return h >>> 0;
}

export const FNV32_OFFSET = FNV_OFFSET;

export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** A uint32 as 4 little-endian bytes (how Kubernetes mixes collisionCount into the hash). */
export function uint32LE(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
}
