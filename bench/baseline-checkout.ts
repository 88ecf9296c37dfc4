import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary checkout of `ref` beside `repo` (a git worktree), sharing its node_modules; `remove` deletes it. */
export function baselineCheckout(repo: string, ref: string): { root: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'kates-baseline-'));
  rmSync(root, { recursive: true, force: true });
  execFileSync('git', ['-C', repo, 'worktree', 'add', '--detach', root, ref], { stdio: 'ignore' });
  if (!existsSync(join(root, 'node_modules'))) symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  return {
    root,
    remove: () => execFileSync('git', ['-C', repo, 'worktree', 'remove', '--force', root], { stdio: 'ignore' }),
  };
}
