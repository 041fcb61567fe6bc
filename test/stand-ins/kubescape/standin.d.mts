// Types for standin.mjs.

import type { InputKey } from './keying.mjs';

export interface RecordedResult {
  /** apiVersion/namespace/kind/name */
  resource: string;
  control: string;
  startLine: number;
  startColumn: number;
}

export interface RecordedInput {
  recordedPath: string;
  key: InputKey;
  results: RecordedResult[];
}

export interface RecordedControl {
  name: string;
  description: string;
  remediation: string;
  baseScore: number;
}

export interface Recording {
  header: Record<string, string>;
  name: string;
  frameworks: string[];
  inputs: RecordedInput[];
  controls: Record<string, RecordedControl>;
}

export interface SarifEntry {
  uri: string;
  absPath: string;
  resource: string;
  control: string;
  startLine: number;
  startColumn: number;
}

export interface StandInIO {
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

export const STAND_IN_DIR: string;
export const REPO_ROOT: string;
export const BUILTIN_RECORDINGS_DIR: string;
export const RECORDINGS_ENV: string;
export const EMULATED_VERSION: string;
export const EMULATED_COMMIT: string;
export const EMULATED_DATE: string;
export const NOTICE: string;
export const FRAMEWORK_NAMES: string[];
export const SCAN_FORMATS: string[];

export function sarifOutputPath(output: string): string;
export function sarifLevel(score: number): 'error' | 'warning' | 'note';
export function severityOf(score: number): 'critical' | 'high' | 'medium' | 'low' | 'unknown';
export function goTimeUTC(date: Date): string;
export function goJSON(value: unknown): string;
export function uriBaseFor(scanArg: string, cwd: string): string;
export function loadRecordings(env: Record<string, string | undefined>): { file: string; data: Recording }[];
export function buildSarif(
  entries: SarifEntry[],
  controls: Record<string, RecordedControl>,
  times: { start: Date; end: Date },
): Record<string, unknown>;
export function resolveFrameworks(list: string): string[];
export function run(io: StandInIO): number;
export function main(): void;
