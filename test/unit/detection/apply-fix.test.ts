/** Suggested fixes: every operation, applied in upstream's order, then the flag suffix and the shell wrap. */
import { describe, expect, it } from 'vitest';
import { applyFix } from '../../../src/detection/suggest.js';

describe('applyFix', () => {
  it('applies every operation in order and says what each did', () => {
    const r = applyFix(['kubescape', 'scan', 'framework', 'nsa', 'm/'], {
      replace_argv: { from: ['framework', 'nsa'], to: ['framework', 'mitre'] },
      insert_arg: { value: '--verbose', after_subcommand: ['scan'] },
      prepend_args: ['--debug'],
      append_args: ['--format', 'sarif'],
      set_env: { var: 'KS_X', value: 'a b' },
      wrap_in_shell: { before: 'kubectl get all -o yaml > dump.yaml' },
    });
    expect(r.argv).toEqual(['sh', '-c', 'kubectl get all -o yaml > dump.yaml && kubescape --debug scan --verbose framework mitre m/ --format sarif']);
    expect(r.command).toBe("KS_X='a b' sh -c 'kubectl get all -o yaml > dump.yaml && kubescape --debug scan --verbose framework mitre m/ --format sarif'");
    expect(r.diffSummary).toBe('replaced [framework nsa] → [framework mitre]; inserted "--verbose" after "scan"; prepended [--debug] after "kubescape"; appended [--format sarif]; set KS_X=a b; ran "kubectl get all -o yaml > dump.yaml" first, under sh -c');
    expect(r.envOverride).toEqual({ KS_X: 'a b' });
  });

  it('adds a suffix to the value of a listed flag, in either spelling, unless it is there in any case', () => {
    const r = applyFix(['trivy', 'fs', '--output=report', '-o', 'x.SARIF', '.'], { ensure_flag_suffix: { flags: ['--output', '-o'], suffix: '.sarif' } });
    expect(r.argv).toEqual(['trivy', 'fs', '--output=report.sarif', '-o', 'x.SARIF', '.']);
    expect(r.diffSummary).toBe('renamed report → report.sarif');
  });

  it('clamps an insert position, appends when the anchor is missing, and leaves the argv alone when nothing to replace', () => {
    expect(applyFix(['a'], { insert_arg: { value: 'v', position: 99 } })).toMatchObject({ argv: ['a', 'v'], diffSummary: 'inserted "v" at position 1' });
    expect(applyFix(['a', 'b'], { replace_argv: { from: ['q'], to: ['r'] }, insert_arg: { value: 'v', after_subcommand: ['zz'] } })).toMatchObject({ argv: ['a', 'b', 'v'], diffSummary: 'inserted "v" appended (anchor not found)' });
  });
});
