/**
 * An error the CLI reports as `cilock: <message>` with a chosen exit code: 1 failure, 2 usage,
 * 128+n when a signal n interrupted the run or ended the wrapped command.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
