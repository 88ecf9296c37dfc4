/** IPv4 addresses as unsigned 32-bit numbers, and CIDR blocks over them. */
export interface Cidr {
  /** Network address. */
  base: number;
  prefix: number;
  /** Number of addresses in the block, network and broadcast included. */
  size: number;
}

export function parseIPv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCidr(cidr: string): Cidr {
  const [ip, bits] = cidr.split('/');
  const addr = parseIPv4(ip);
  const prefix = Number(bits);
  if (addr === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new Error(`invalid CIDR ${cidr}`);
  const size = 2 ** (32 - prefix);
  return { base: addr - (addr % size), prefix, size };
}

export function formatCidr(c: Cidr): string {
  return `${formatIPv4(c.base)}/${c.prefix}`;
}

export function cidrContains(c: Cidr, ip: number): boolean {
  return ip >= c.base && ip < c.base + c.size;
}

/** The `index`-th block of `prefix` bits inside `parent` (e.g. the 3rd /24 of 10.244.0.0/16). */
export function subnet(parent: Cidr, prefix: number, index: number): Cidr {
  const size = 2 ** (32 - prefix);
  if (prefix < parent.prefix || (index + 1) * size > parent.size) throw new Error(`subnet ${index} /${prefix} is outside ${formatCidr(parent)}`);
  return { base: parent.base + index * size, prefix, size };
}
