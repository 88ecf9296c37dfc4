/** Kubernetes' generateName alphabet: no vowels (no accidental words), no 0/1/3 (look like letters). */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** apimachinery's SimpleNameGenerator keeps names within 63 characters: base cut to 58 + 5 random. */
const MAX_GENERATED_BASE = 58;

export function randomSuffix(length = 5): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

/** A name as the API server derives it from `generateName` (e.g. `web-7c5ddbdf54-` → `web-7c5ddbdf54-x2kq9`). */
export function generateName(base: string): string {
  return base.slice(0, MAX_GENERATED_BASE) + randomSuffix();
}

/** apimachinery's SafeEncodeString: maps each character of `s` into the generateName alphabet. */
export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += ALPHABET[s.charCodeAt(i) % ALPHABET.length];
  return out;
}
