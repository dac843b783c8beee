/** Where a command's words go; the process's streams, or a test's buffers. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** The whole of standard input (for secrets that must not be arguments). */
  readStdin(): Promise<string>;
}

/** What a command answers: its text and the process's exit code (0 done, 1 failed, 2 bad input). */
export interface CommandResult {
  output: string;
  exitCode: number;
}

export const done = (output: string): CommandResult => ({ output, exitCode: 0 });
export const badInput = (output: string): CommandResult => ({ output, exitCode: 2 });

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  readStdin: async () => {
    const parts: Buffer[] = [];
    for await (const part of process.stdin) parts.push(part as Buffer);
    return Buffer.concat(parts).toString('utf8');
  },
};
