// Errors the CLI turns into exit codes (DESIGN.md): 2 for bad usage or input, 1 for a problem the user
// asked to fail on.
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = 2;
}

export class FailOnError extends Error {
  override name = 'FailOnError';
  readonly exitCode = 1;
}

/** The user stopped the command (Ctrl+C): the conventional 128 + SIGINT. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
  readonly exitCode = 130;
}
