// Where a command writes and what environment it reads: the process's, or a test's.

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  /** All of standard input, for `check -`; absent where there is none to read. */
  readStdin?: () => Promise<string>;
}
