import { spawnSync } from 'node:child_process';

/**
 * The Debian packages some tests drive: Chromium for the console's browser test, curl and jq for the
 * README's tour. Like `npm start` with redis-server, a fresh machine gets them installed (as root with
 * apt-get); elsewhere the test that needs one fails with a message naming the package.
 */
const NEEDED: { command: string; pkg: string; forTests: RegExp }[] = [
  { command: 'chromium', pkg: 'chromium', forTests: /^test\/console\// },
  { command: 'curl', pkg: 'curl', forTests: /^test\/readme\// },
  { command: 'jq', pkg: 'jq', forTests: /^test\/readme\// },
];

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim() !== '';

/** The Debian packages the given test files need and this machine lacks. */
export function missingPackages(testFiles: string[], installed: (command: string) => boolean, env: Record<string, string | undefined> = process.env): string[] {
  return NEEDED.filter((n) => testFiles.some((f) => n.forTests.test(f)) && !(n.command === 'chromium' && env.CHROMIUM_PATH) && !installed(n.command)).map(
    (n) => n.pkg,
  );
}

export function ensureTestPackages(testFiles: string[]): void {
  const missing = missingPackages(testFiles, has);
  if (!missing.length) return;
  const pkgs = missing.join(' ');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !has('apt-get')) {
    console.warn(`warning: ${pkgs} not installed and cannot be installed here (needs root and apt-get); the tests using them will fail`);
    return;
  }
  console.log(`installing ${pkgs} (Debian packages) for the tests`);
  const r = spawnSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkgs}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) console.warn(`warning: installing ${pkgs} failed; the tests using them will fail`);
}
