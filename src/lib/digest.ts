/**
 * Deterministic hex digests for generated identifiers (container IDs, image digests, machine IDs,
 * Event names). Not cryptographic: they only need to look like the real thing and be stable, so
 * the same container restart always gets the same ID on every worker.
 */
export function hexDigest(input: string, length = 64): string {
  let out = '';
  for (let round = 0; out.length < length; round++) {
    let h = 0x811c9dc5 ^ round;
    for (let i = 0; i < input.length; i++) h = Math.imul(h ^ input.charCodeAt(i), 0x01000193);
    // One more avalanche step so neighbouring rounds differ in every nibble.
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
    out += ((h ^ (h >>> 15)) >>> 0).toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

/** A small deterministic integer in [0, modulo) derived from a string. */
export function stableBucket(input: string, modulo: number): number {
  return parseInt(hexDigest(input, 8), 16) % modulo;
}
