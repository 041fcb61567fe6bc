// Types for replay.mjs.

export declare const REFUSED: number;
export declare const IGNORED_DIRS: string[];
export declare function notice(tool: string): string;
export declare function recordingsFile(tool: string): string;
export declare function sha256(file: string): string;
export declare function inputDigests(dir: string, skip?: string[]): Record<string, string>;
export interface Io {
  tool: string;
  argv: string[];
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}
export declare function run(io: Io): number;
export declare function main(tool: string): void;
