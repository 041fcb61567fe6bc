/**
 * SIGINT, SIGTERM and SIGHUP during `cilock run`. While the command runs, command-run forwards
 * the signal to it and the run ends, unsigned, once the command has exited. In every other phase
 * cilock stops at once: nothing is signed, and a temporary envelope file is removed on exit
 * (write-file-atomic's exit hook). Either way cilock exits 128+n.
 */
import { FORWARDED_SIGNALS, signalExitCode } from '../attestors/command-run.js';

export type RunPhase = 'before the command ran' | 'while the command ran' | 'while hashing products' | 'while writing the attestation';

/**
 * Installs the handlers; returns the function that removes them. `stop` must end the process at
 * once (after reporting `message` synchronously): anything left to the event loop, such as
 * starting the command, must not happen after an interrupt.
 */
export function stopOnSignal(phase: () => RunPhase, stop: (message: string, exitCode: number) => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    const now = phase();
    if (now === 'while the command ran') return;
    const outcome = now === 'while writing the attestation' ? 'the outfile is either complete or untouched, and no temporary file is left' : 'nothing was signed or written';
    stop(`interrupted by ${signal} ${now}; ${outcome}`, signalExitCode(signal));
  };
  for (const signal of FORWARDED_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of FORWARDED_SIGNALS) process.off(signal, handler);
  };
}
