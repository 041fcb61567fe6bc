/**
 * Rego policies evaluated by the real opa binary (`npm run tools:install` puts the pinned one in
 * .tools/bin; CILOCK_OPA or PATH work too). Without opa these tests fail, naming how to get it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateRego, findOpa, OPA_VERSION, RegoError } from '../../../src/attestation/rego.js';

const repoOpa = path.resolve(import.meta.dirname, '../../../.tools/bin/opa');
let opa: string;

const b64 = (source: string) => Buffer.from(source, 'utf8').toString('base64');
const sarifBody = (levels: string[]) => ({ report: { runs: [{ results: levels.map((level, i) => ({ ruleId: `R${i}`, level })) }] }, reportFileName: 'r.sarif' });

const NO_ERRORS = `package sarif
deny[msg] { r := input.report.runs[_].results[_]; r.level == "error"; msg := sprintf("sarif error: %v", [r.ruleId]) }
`;

beforeAll(() => {
  opa = process.env.CILOCK_OPA ?? (existsSync(repoOpa) ? repoOpa : findOpa());
});

describe('evaluateRego with the real opa', () => {
  it('a deny rule that matches fails with its messages', () => {
    const r = evaluateRego({ name: 'no-errors', module: b64(NO_ERRORS) }, sarifBody(['warning', 'error', 'error']), { opa });
    expect(r).toEqual({ passed: false, messages: ['sarif error: R1', 'sarif error: R2'] });
  });

  it('a deny rule that matches nothing passes', () => {
    expect(evaluateRego({ name: 'no-errors', module: b64(NO_ERRORS) }, sarifBody(['warning', 'note']), { opa })).toEqual({ passed: true, messages: [] });
  });

  it('v1 syntax with import rego.v1 works too', () => {
    const mod = 'package cmd\nimport rego.v1\ndeny contains msg if { input.exitcode != 0; msg := "nonzero exit" }\n';
    expect(evaluateRego({ module: b64(mod) }, { exitcode: 2 }, { opa })).toEqual({ passed: false, messages: ['nonzero exit'] });
    expect(evaluateRego({ module: b64(mod) }, { exitcode: 0 }, { opa }).passed).toBe(true);
  });

  it('a syntax error is a clear error naming the policy and the line', () => {
    const bad = 'package sarif\n\ndeny[msg] {\n  msg := \n}\n';
    expect(() => evaluateRego({ name: 'broken', module: b64(bad) }, {}, { opa })).toThrow(/rego policy "broken": opa rejected the module: line \d+.*/);
  });

  it('a module without a deny rule fails', () => {
    const r = evaluateRego({ name: 'allow-only', module: b64('package sarif\nallow := true\n') }, {}, { opa });
    expect(r.passed).toBe(false);
    expect(r.messages[0]).toMatch(/package sarif has no deny rule/);
  });

  it('a deny that is not a set or array fails', () => {
    const r = evaluateRego({ module: b64('package p\ndeny := true\n') }, {}, { opa });
    expect(r).toEqual({ passed: false, messages: [expect.stringMatching(/data\.p\.deny is true, expected a set or array/)] });
  });

  it.each(['http.send({"method": "get", "url": "http://127.0.0.1:9/"})', 'opa.runtime()', 'net.lookup_ip_addr("localhost")', 'net.cidr_contains("10.0.0.0/8", "10.1.1.1")'])('refuses the blocked builtin %s', (call) => {
    const mod = `package p\ndeny[msg] { x := ${call}; msg := sprintf("%v", [x]) }\n`;
    expect(() => evaluateRego({ name: 'net', module: b64(mod) }, {}, { opa })).toThrow(/opa rejected the module: .*undefined function/);
  });

  it('an evaluation that runs too long is stopped with a time-out error', () => {
    const slow = 'package p\ndeny[msg] { n := numbers.range(1, 100000000); count([x | x := n[_]; x % 7 == 3]) > 0; msg := "slow" }\n';
    const started = Date.now();
    expect(() => evaluateRego({ name: 'slow', module: b64(slow) }, {}, { opa, timeoutMs: 1000 })).toThrow(/rego policy "slow": evaluation timed out after 1 s/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('input is the attestation body, large ones included', () => {
    const levels = Array.from({ length: 20_000 }, (_, i) => (i === 19_999 ? 'error' : 'note'));
    expect(evaluateRego({ module: b64(NO_ERRORS) }, sarifBody(levels), { opa }).messages).toEqual(['sarif error: R19999']);
  });

  it('refuses a module that is not base64 or has no package', () => {
    expect(() => evaluateRego({ name: 'x', module: 'not base64!' }, {}, { opa })).toThrow(/rego policy "x": module is not base64/);
    expect(() => evaluateRego({ name: 'x', module: b64('# only a comment\n') }, {}, { opa })).toThrow(/has no package declaration/);
    expect(() => evaluateRego({ name: 'x', module: b64('deny[msg] { msg := "a" }\n') }, {}, { opa })).toThrow(/must start with a plain package declaration/);
  });
});

describe('finding opa', () => {
  it('a missing binary gives the install hint', () => {
    const saved = { PATH: process.env.PATH, CILOCK_OPA: process.env.CILOCK_OPA };
    try {
      process.env.PATH = '/nonexistent';
      delete process.env.CILOCK_OPA;
      expect(() => evaluateRego({ module: b64(NO_ERRORS) }, {})).toThrow(RegoError);
      expect(() => evaluateRego({ module: b64(NO_ERRORS) }, {})).toThrow(new RegExp(`none is on PATH and CILOCK_OPA is not set: install OPA ${OPA_VERSION}.*npm run tools:install -- --only opa`));
      process.env.CILOCK_OPA = '/nonexistent/opa';
      expect(() => evaluateRego({ module: b64(NO_ERRORS) }, {})).toThrow(/CILOCK_OPA \/nonexistent\/opa is not an executable file: install OPA/);
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.CILOCK_OPA === undefined) delete process.env.CILOCK_OPA;
      else process.env.CILOCK_OPA = saved.CILOCK_OPA;
    }
  });
});
