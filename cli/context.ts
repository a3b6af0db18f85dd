// What every command gets: the parsed configuration (read from the environment once, here at the entry
// point) and the output streams. Commands print; libraries do not.
import { loadConfig, type Config } from '../data/config.ts';

export interface CliContext {
  config: Config;
  out: (text: string) => void;
  err: (text: string) => void;
  /** True when stderr is a terminal (progress bars draw only there). */
  interactive: boolean;
}

export function createContext(env: NodeJS.ProcessEnv = process.env): CliContext {
  return {
    config: loadConfig(env),
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    interactive: Boolean(process.stderr.isTTY),
  };
}

/** Parse a positive number option, naming the option in the error. */
/** A commander parser for a whole number that may be 0. */
export function countNumber(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number, 0 or more, got "${value}"`);
    return n;
  };
}

export function positiveNumber(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${value}"`);
    return n;
  };
}
