import type { ContainerView } from './pod-view.ts';

/**
 * A small, honest shell for simulated containers: no process runs in a simulated pod, so only
 * commands that read what kates knows about the container are answered — its environment, the
 * files of its ConfigMap, Secret, downwardAPI and projected volumes, its host name — plus `echo`,
 * `true`, `false`, `sleep`, `pwd` and `exit`. Anything else exits 127 saying so.
 */

export interface ShellIO {
  out(text: string): void;
  err(text: string): void;
  /** Resolves after `ms`, or early when the session ends. */
  sleep(ms: number): Promise<void>;
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);
export const BUILTINS = ['cat', 'echo', 'env', 'exit', 'false', 'hostname', 'ls', 'printenv', 'pwd', 'sleep', 'true'];
/** Longest `sleep` honoured: a session should not hold a connection for days. */
const MAX_SLEEP_SECONDS = 3600;

export const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** A shell binary started without `-c`: it reads commands from stdin. */
export function isInteractiveShell(argv: string[]): boolean {
  return argv.length > 0 && SHELLS.has(basename(argv[0])) && !argv.includes('-c');
}

export function notSimulated(cmd: string): string {
  return `kates: ${cmd}: command not available: this pod is simulated, no container process runs (try ${BUILTINS.filter((b) => b !== 'exit').join(', ')})\n`;
}

/** Words of one simple command: quotes, backslashes and `$VAR`/`${VAR}` expansion as sh does. */
export function words(command: string, env: Map<string, string>): string[] {
  const out: string[] = [];
  let cur = '';
  let started = false;
  let i = 0;
  const variable = () => {
    const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*)|(\?))/.exec(command.slice(i));
    if (!m) return false;
    cur += m[3] ? (env.get('?') ?? '0') : (env.get(m[1] ?? m[2]) ?? '');
    i += m[0].length;
    started = true;
    return true;
  };
  while (i < command.length) {
    const ch = command[i];
    if (ch === "'") {
      const end = command.indexOf("'", i + 1);
      cur += command.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? command.length : end + 1;
      started = true;
    } else if (ch === '"') {
      i++;
      started = true;
      while (i < command.length && command[i] !== '"') {
        if (command[i] === '\\' && i + 1 < command.length && '"\\$'.includes(command[i + 1])) {
          cur += command[i + 1];
          i += 2;
        } else if (command[i] === '$' && variable()) continue;
        else cur += command[i++];
      }
      i++;
    } else if (ch === '\\' && i + 1 < command.length) {
      cur += command[i + 1];
      i += 2;
      started = true;
    } else if (ch === '$' && variable()) {
      continue;
    } else if (/\s/.test(ch)) {
      if (started) out.push(cur);
      cur = '';
      started = false;
      i++;
    } else {
      cur += ch;
      started = true;
      i++;
    }
  }
  if (started) out.push(cur);
  return out;
}

/** A script split into simple commands joined by `;`, `&&` and `||` (quotes respected). */
export function sequence(script: string): Array<{ command: string; after: ';' | '&&' | '||' }> {
  const out: Array<{ command: string; after: ';' | '&&' | '||' }> = [];
  let cur = '';
  let quote = '';
  let next: ';' | '&&' | '||' = ';';
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    if (quote) {
      if (ch === quote) quote = '';
      else if (ch === '\\' && quote === '"') cur += script[i++];
      cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      cur += ch;
    } else if (ch === '\\') {
      cur += ch + (script[++i] ?? '');
    } else if (ch === ';' || ch === '\n' || (ch === '&' && script[i + 1] === '&') || (ch === '|' && script[i + 1] === '|')) {
      out.push({ command: cur, after: next });
      next = ch === ';' || ch === '\n' ? ';' : ch === '&' ? '&&' : '||';
      if (ch === '&' || ch === '|') i++;
      cur = '';
    } else cur += ch;
  }
  out.push({ command: cur, after: next });
  return out.filter((c) => c.command.trim() !== '');
}

export class ExitRequest {
  constructor(readonly code: number) {}
}

export class SimulatedShell {
  readonly env: Map<string, string>;
  private cwd = '/';

  constructor(
    private view: ContainerView,
    private io: ShellIO,
    workingDir?: string,
  ) {
    this.env = new Map(view.env);
    if (workingDir) this.cwd = workingDir;
  }

  /** Runs a script (`sh -c`, or one line typed at the prompt); `exit` ends it with its code. */
  async script(text: string): Promise<number> {
    let code = 0;
    for (const { command, after } of sequence(text)) {
      if ((after === '&&' && code !== 0) || (after === '||' && code === 0)) continue;
      code = await this.run(words(command, this.env));
      this.env.set('?', String(code));
    }
    return code;
  }

  /** One command as `kubectl exec` gives it (no shell parsing of the words). */
  async run(argv: string[]): Promise<number> {
    if (argv.length === 0) return 0;
    const [cmd, ...args] = argv;
    const name = basename(cmd);
    if (SHELLS.has(name)) {
      const c = args.indexOf('-c');
      return c >= 0 ? this.script(args[c + 1] ?? '') : 0;
    }
    switch (name) {
      case 'true':
        return 0;
      case 'false':
        return 1;
      case 'exit':
        throw new ExitRequest(Number(args[0] ?? this.env.get('?') ?? 0) & 255);
      case 'echo':
        return this.echo(args);
      case 'env':
        return this.printEnv(args);
      case 'printenv':
        return this.printEnv(args);
      case 'hostname':
        this.io.out(`${this.view.hostname}\n`);
        return 0;
      case 'pwd':
        this.io.out(`${this.cwd}\n`);
        return 0;
      case 'cat':
        return this.cat(args);
      case 'ls':
        return this.ls(args);
      case 'sleep':
        return this.sleep(args);
      default:
        this.io.err(notSimulated(cmd));
        return 127;
    }
  }

  private echo(args: string[]): number {
    const noNewline = args[0] === '-n';
    this.io.out((noNewline ? args.slice(1) : args).join(' ') + (noNewline ? '' : '\n'));
    return 0;
  }

  private printEnv(args: string[]): number {
    const shown = [...this.env].filter(([k]) => k !== '?');
    if (args.length === 0) {
      this.io.out(shown.map(([k, v]) => `${k}=${v}\n`).join(''));
      return 0;
    }
    let code = 0;
    for (const a of args) {
      if (this.env.has(a) && a !== '?') this.io.out(`${this.env.get(a)}\n`);
      else code = 1;
    }
    return code;
  }

  private resolve(p: string): string {
    const abs = p.startsWith('/') ? p : `${this.cwd}/${p}`;
    const parts: string[] = [];
    for (const seg of abs.split('/')) {
      if (!seg || seg === '.') continue;
      if (seg === '..') parts.pop();
      else parts.push(seg);
    }
    return `/${parts.join('/')}`;
  }

  private cat(args: string[]): number {
    let code = 0;
    for (const a of args.filter((x) => x !== '-')) {
      const p = this.resolve(a);
      const text = this.view.files.get(p);
      if (text !== undefined) this.io.out(text);
      else {
        this.io.err(this.view.dirs.has(p) ? `cat: ${a}: Is a directory\n` : `cat: ${a}: No such file or directory\n`);
        code = 1;
      }
    }
    return code;
  }

  private entries(dir: string): string[] {
    const prefix = dir === '/' ? '/' : `${dir}/`;
    const names = new Set<string>();
    for (const p of [...this.view.files.keys(), ...this.view.dirs]) {
      if (p !== dir && p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]);
    }
    return [...names].sort();
  }

  private ls(args: string[]): number {
    const flags = args.filter((a) => a.startsWith('-')).join('');
    const long = flags.includes('l');
    const all = flags.includes('a');
    const targets = args.filter((a) => !a.startsWith('-'));
    let code = 0;
    const line = (path: string, name: string) => {
      if (!long) return `${name}\n`;
      const isDir = this.view.dirs.has(path) && !this.view.files.has(path);
      const size = isDir ? 4096 : new TextEncoder().encode(this.view.files.get(path) ?? '').length;
      return `${isDir ? 'drwxr-xr-x' : '-rw-r--r--'} 1 root root ${String(size).padStart(5)} Jan  1 00:00 ${name}\n`;
    };
    const list = targets.length ? targets : ['.'];
    list.forEach((t, i) => {
      const p = this.resolve(t);
      if (this.view.files.has(p)) {
        this.io.out(line(p, t));
        return;
      }
      if (!this.view.dirs.has(p)) {
        this.io.err(`ls: cannot access '${t}': No such file or directory\n`);
        code = 2;
        return;
      }
      if (list.length > 1) this.io.out(`${i > 0 ? '\n' : ''}${t}:\n`);
      const names = [...(all ? ['.', '..'] : []), ...this.entries(p)];
      this.io.out(names.map((n) => line(n === '.' || n === '..' ? p : `${p === '/' ? '' : p}/${n}`, n)).join(''));
    });
    return code;
  }

  private async sleep(args: string[]): Promise<number> {
    const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(args[0] ?? '');
    if (!m) {
      this.io.err(`sleep: invalid time interval '${args[0] ?? ''}'\n`);
      return 1;
    }
    const seconds = Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2]] ?? 1);
    await this.io.sleep(Math.min(seconds, MAX_SLEEP_SECONDS) * 1000);
    return 0;
  }
}
