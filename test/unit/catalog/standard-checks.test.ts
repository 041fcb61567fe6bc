import { describe, expect, it } from 'vitest';
import { argvOfCommand, derivedCheckOutput, STANDARD_CHECKS } from '../../../src/catalog/standard-checks.js';

describe('argvOfCommand', () => {
  it('takes the words after the first " -- " as a POSIX shell splits them, across line continuations', () => {
    expect(argvOfCommand('cilock run -s k \\\n  --outfile a.json \\\n  -- kubescape scan framework nsa manifests/')).toEqual(['kubescape', 'scan', 'framework', 'nsa', 'manifests/']);
    expect(argvOfCommand(`cilock run -- sh -c 'kubectl get all -o yaml > s.yaml && kubescape scan s.yaml'`)).toEqual(['sh', '-c', 'kubectl get all -o yaml > s.yaml && kubescape scan s.yaml']);
    expect(argvOfCommand(`cilock run -- eslint --format '@microsoft/eslint-formatter-sarif' "src dir/"`)).toEqual(['eslint', '--format', '@microsoft/eslint-formatter-sarif', 'src dir/']);
    expect(argvOfCommand('cilock run -- x -- y')).toEqual(['x', '--', 'y']);
  });

  it('gives up on what only the shell can settle: no " -- ", variables, globs, operators', () => {
    expect(argvOfCommand('cilock run -s x')).toBeUndefined();
    expect(argvOfCommand('cilock run --')).toBeUndefined();
    expect(argvOfCommand('cilock run -- x "$HOME"')).toBeUndefined();
    expect(argvOfCommand('cilock run -- x *.yaml')).toBeUndefined();
    expect(argvOfCommand('cilock run -- x > out.txt')).toBeUndefined();
  });
});

describe('derivedCheckOutput', () => {
  const expectations = { predicate_types: ['https://a/v1', 'https://b/v1'], cmd: ['x', 'say "hi"'], sarif_results: 3 };
  const [types, argv, sarif] = STANDARD_CHECKS as [typeof STANDARD_CHECKS[0], typeof STANDARD_CHECKS[0], typeof STANDARD_CHECKS[0]];

  it('prints what jq prints for the standard checks', () => {
    expect(derivedCheckOutput(types, expectations)).toBe('"https://a/v1"\n"https://b/v1"');
    expect(derivedCheckOutput(argv, expectations)).toBe('[\n  "x",\n  "say \\"hi\\""\n]');
    expect(derivedCheckOutput(sarif, expectations)).toBe('3');
    expect(derivedCheckOutput(sarif, { ...expectations, sarif_results: undefined })).toBeUndefined();
  });

  it('derives nothing for a check whose command differs from the standard one, even under its id', () => {
    expect(derivedCheckOutput({ ...sarif, command: `${sarif.command} | tr -d 0` }, expectations)).toBeUndefined();
    expect(derivedCheckOutput({ ...types, order_may_vary: false }, expectations)).toBeUndefined();
  });
});
