import { CLOSE, ERROR, exitStatus, frame, PROTOCOL_V5, STDERR, STDIN, STDOUT, type ChannelSocket } from './channels.ts';
import type { ContainerView } from './pod-view.ts';
import { basename, ExitRequest, isInteractiveShell, SimulatedShell } from './shell.ts';

export interface SessionOptions {
  /** The command (exec) or the container's own command line (attach). */
  argv: string[];
  stdin: boolean;
  stderr: boolean;
  tty: boolean;
  protocol: string;
  view: ContainerView;
  workingDir?: string;
  /** Written instead of running anything (attaching to a process that reads no terminal). */
  output?: string;
  /** Called when an interactive shell ends: by `exit`, or at the end of its input. */
  onShellExit?(code: number, how: 'exit' | 'eof'): void;
}

const decoder = new TextDecoder();

/**
 * One exec or attach stream: runs the command in the simulated shell, or, for a shell reading
 * stdin, each line the client types (echoed and edited as a terminal would with `-t`), then reports
 * the exit code on the error channel as the kubelet does and closes.
 */
export function runSession(socket: ChannelSocket, opts: SessionOptions): void {
  let closed = false;
  let finished = false;
  const timers = new Set<() => void>();
  const send = (channel: number, text: string) => {
    if (!closed && text) socket.send(frame(channel, opts.tty ? text.replace(/\r?\n/g, '\r\n') : text));
  };
  const shell = new SimulatedShell(
    opts.view,
    {
      out: (t) => send(STDOUT, t),
      // With a terminal there is one output stream, as on a real TTY.
      err: (t) => (opts.tty ? send(STDOUT, t) : opts.stderr ? send(STDERR, t) : undefined),
      sleep: (ms) =>
        new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            timers.delete(done);
            resolve();
          };
          const timer = setTimeout(done, ms);
          timers.add(done);
        }),
    },
    opts.workingDir,
  );
  const finish = (code: number) => {
    if (finished) return;
    finished = true;
    if (!closed) {
      socket.send(frame(ERROR, JSON.stringify(exitStatus(code, opts.argv))));
      socket.close(1000, '');
    }
  };
  socket.onClose(() => {
    closed = true;
    for (const wake of [...timers]) wake();
  });

  if (opts.output !== undefined) {
    socket.onMessage(() => {});
    send(STDOUT, opts.output);
    finish(0);
    return;
  }
  if (!(opts.stdin && isInteractiveShell(opts.argv))) {
    socket.onMessage(() => {}); // stdin of a command that reads none is dropped
    shell
      .run(opts.argv)
      .catch((e) => (e instanceof ExitRequest ? e.code : 1))
      .then(finish);
    return;
  }

  // An interactive shell: lines from stdin, one at a time, until `exit` or the end of stdin.
  const prompt = () => opts.tty && send(STDOUT, basename(opts.argv[0]) === 'bash' ? `root@${opts.view.hostname}:/# ` : '/ # ');
  let line = '';
  let last = 0;
  let queue = Promise.resolve();
  const execute = (text: string) => {
    queue = queue.then(async () => {
      if (finished) return;
      try {
        last = await shell.script(text);
        prompt();
      } catch (e) {
        const code = e instanceof ExitRequest ? e.code : 1;
        opts.onShellExit?.(code, 'exit');
        finish(code);
      }
    });
  };
  const endOfInput = () => {
    queue = queue.then(() => {
      if (finished) return;
      opts.onShellExit?.(last, 'eof');
      finish(last);
    });
  };
  const typed = (text: string) => {
    for (const ch of text) {
      if (!opts.tty) {
        if (ch === '\n') {
          execute(line);
          line = '';
        } else line += ch;
        continue;
      }
      // A terminal in raw mode sends keys: echo them and keep a line buffer, as the tty driver would.
      if (ch === '\r' || ch === '\n') {
        send(STDOUT, '\n');
        execute(line);
        line = '';
      } else if (ch === '\x7f' || ch === '\b') {
        if (line) {
          line = line.slice(0, -1);
          send(STDOUT, '\b \b');
        }
      } else if (ch === '\x03') {
        line = '';
        send(STDOUT, '^C\n');
        prompt();
      } else if (ch === '\x04') {
        if (!line) endOfInput();
      } else if (ch >= ' ' || ch === '\t') {
        line += ch;
        send(STDOUT, ch);
      }
    }
  };
  socket.onMessage((data) => {
    if (data.length === 0) return;
    if (data[0] === STDIN) typed(decoder.decode(data.subarray(1), { stream: true }));
    else if (data[0] === CLOSE && data[1] === STDIN && opts.protocol === PROTOCOL_V5) {
      if (line) execute(line);
      line = '';
      endOfInput();
    }
  });
  prompt();
}
