const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Random lower-case alphanumerics (crypto-strength). */
export function randomString(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const b of bytes) out += ALPHABET[b % 36];
  return out;
}

export type IdPrefix = 'ten' | 'cls' | 'key' | 'op' | 'tok' | 'int' | 'bud' | 'alt';

/** Prefixed ids tell at a glance which table they belong to (`cls_…` is a cluster). */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomString(16)}`;
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
