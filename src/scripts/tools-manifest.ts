/**
 * The real third-party tools `npm run tools:install` puts under `.tools/` (git-ignored), pinned here
 * and nowhere else. Each comes from a registry this project's machines reach: the Go module proxy
 * or PyPI. `versionArgs` + `versionMatch` is how the installer proves the binary is the pinned one.
 */

interface PinBase {
  name: string;
  version: string;
  /** Why the project needs this tool. */
  why: string;
  /** Programs the install leaves in `.tools/bin`. */
  binaries: string[];
  versionArgs: string[];
  /** Printed by `binaries[0] versionArgs` when the pinned version runs. */
  versionMatch: string;
  /** Environment for that version check, e.g. to keep a tool from asking the network for updates. */
  versionEnv?: Record<string, string>;
}

/** `go install module/pkg@version` into `.tools/bin` (modules without `replace` directives). */
export interface GoInstallPin extends PinBase {
  source: 'go-install';
  module: string;
  /** Package path inside the module that builds the binary ('' for the module root). */
  pkg: string;
  ldflags?: string;
  /** Extra environment for the build (e.g. a GOEXPERIMENT the module needs with this Go). */
  goEnv?: Record<string, string>;
}

/**
 * `go mod download` then `go build` inside a writable copy of the module: for modules whose go.mod
 * has `replace` directives, which `go install …@version` refuses.
 */
export interface GoBuildPin extends PinBase {
  source: 'go-build';
  module: string;
  pkg: string;
  ldflags?: string;
  /**
   * Offline use: the binary goes to `.tools/libexec/` and `.tools/bin/<binary>` becomes a wrapper
   * that adds `flag <.tools/dataFrom>` to every `subcommand` run that does not pass the flag itself,
   * and sets `env` unless the caller did; documented commands stay exactly as a user types them.
   */
  offline?: { subcommand: string; flag: string; dataFrom: string; env: Record<string, string> };
}

/** A venv of its own under `.tools/venv/<name>` (no dependency clashes between tools). */
export interface PypiPin extends PinBase {
  source: 'pypi';
  package: string;
  /** `pip install --only-binary=:all:`: wheels only, faster and no compiler needed. */
  onlyBinary: boolean;
}

/** Data built from a pinned Go module's files by a script that module ships (run with python3). */
export interface GoDataPin {
  name: string;
  source: 'go-data';
  module: string;
  version: string;
  why: string;
  /** Script inside the module, run from the module's root with OUTPUT set to a scratch folder. */
  script: string;
  /** Files to keep: output file name → name in `.tools/<name>/`. */
  files: Record<string, string>;
}

export type ToolPin = GoInstallPin | GoBuildPin | PypiPin | GoDataPin;

export const TOOLS: ToolPin[] = [
  {
    name: 'kubescape',
    source: 'go-build',
    module: 'github.com/kubescape/kubescape/v3',
    // The proxy serves v3.0.48 only: v4.0.x tags sit on a go.mod that still says /v3, and the proxy
    // refuses their pseudo-versions (e.g. v3.0.49-0.20260812081839-469969f6bebf = v4.0.12).
    version: 'v3.0.48',
    pkg: '.',
    // Without VCS data a build-in-copy reports "(devel)"; rules gated on a Kubescape version need the real one.
    ldflags: '-s -w -X github.com/kubescape/backend/pkg/versioncheck.BuildNumber=v3.0.48',
    // KS_CACHE_DIR alone (Kubescape's own fallback when the download fails) reads frameworks,
    // exceptions and attack tracks but not the controls' inputs, which C-0012 and C-0046 need.
    offline: { subcommand: 'scan', flag: '--use-artifacts-from', dataFrom: 'kubescape-artifacts', env: { KS_SKIP_UPDATE_CHECK: 'true' } },
    binaries: ['kubescape'],
    versionArgs: ['version'],
    versionMatch: 'v3.0.48',
    versionEnv: { KS_SKIP_UPDATE_CHECK: 'true' },
    why: 'the documented Kubescape examples run against the real scanner',
  },
  {
    name: 'kubescape-artifacts',
    source: 'go-data',
    // The regolibrary version Kubescape v3.0.48 requires; the only one the proxy serves.
    module: 'github.com/kubescape/regolibrary/v2',
    version: 'v2.0.1',
    script: 'scripts/export.py',
    // The names Kubescape reads from its cache folder (KS_CACHE_DIR) when it cannot download them.
    files: {
      'nsa.json': 'nsa.json',
      'mitre.json': 'mitre.json',
      'allcontrols.json': 'allcontrols.json',
      'exceptions.json': 'exceptions.json',
      'attack_tracks.json': 'attack-tracks.json',
      'default_config_inputs.json': 'controls-inputs.json',
    },
    why: 'Kubescape scans offline: frameworks, controls, rules, inputs, exceptions and attack tracks from the pinned regolibrary',
  },
  {
    name: 'opa',
    source: 'go-install',
    module: 'github.com/open-policy-agent/opa',
    version: 'v1.22.4',
    pkg: '',
    binaries: ['opa'],
    versionArgs: ['version'],
    versionMatch: 'Version: 1.22.4',
    why: 'evaluates Rego policies against attestations (src/attestation/rego.ts)',
  },
  {
    name: 'gosec',
    source: 'go-install',
    module: 'github.com/securego/gosec/v2',
    version: 'v2.30.0',
    pkg: 'cmd/gosec',
    ldflags: '-X main.Version=2.30.0',
    binaries: ['gosec'],
    versionArgs: ['-version'],
    versionMatch: '2.30.0',
    why: 'Go security linter with native SARIF output',
  },
  {
    name: 'gitleaks',
    source: 'go-install',
    module: 'github.com/zricethezav/gitleaks/v8',
    version: 'v8.30.1',
    pkg: '',
    ldflags: '-X github.com/zricethezav/gitleaks/v8/version.Version=v8.30.1',
    binaries: ['gitleaks'],
    versionArgs: ['version'],
    versionMatch: '8.30.1',
    why: 'secret scanner with native SARIF output',
  },
  {
    name: 'conftest',
    source: 'go-install',
    module: 'github.com/open-policy-agent/conftest',
    version: 'v0.71.1',
    pkg: '',
    ldflags: '-X github.com/open-policy-agent/conftest/internal/version.Version=0.71.1',
    binaries: ['conftest'],
    versionArgs: ['--version'],
    versionMatch: '0.71.1',
    why: 'Rego policy tests over configuration files',
  },
  {
    name: 'trivy',
    source: 'go-install',
    module: 'github.com/aquasecurity/trivy',
    version: 'v0.74.0',
    pkg: 'cmd/trivy',
    ldflags: '-s -w -X github.com/aquasecurity/trivy/pkg/version/app.ver=0.74.0',
    // Trivy 0.74.0 imports encoding/json/v2, which Go 1.26 builds only with the jsonv2 experiment
    // (without it: "build constraints exclude all Go files in …/encoding/json/v2").
    goEnv: { GOEXPERIMENT: 'jsonv2' },
    binaries: ['trivy'],
    versionArgs: ['--version'],
    versionMatch: '0.74.0',
    why: 'misconfiguration scanner (trivy config) with embedded checks and native SARIF output',
  },
  {
    name: 'bandit',
    source: 'pypi',
    package: 'bandit[sarif]',
    version: '1.9.4',
    onlyBinary: true,
    binaries: ['bandit'],
    versionArgs: ['--version'],
    versionMatch: 'bandit 1.9.4',
    why: 'Python security linter; the sarif extra brings its SARIF formatter',
  },
  {
    name: 'semgrep',
    source: 'pypi',
    package: 'semgrep',
    version: '1.185.0',
    onlyBinary: true,
    binaries: ['semgrep'],
    versionArgs: ['--version'],
    versionMatch: '1.185.0',
    // Otherwise `semgrep --version` first asks the network for a newer release (over a minute offline).
    versionEnv: { SEMGREP_ENABLE_VERSION_CHECK: '0' },
    why: 'pattern-based static analysis with local rules and native SARIF output',
  },
  {
    name: 'checkov',
    source: 'pypi',
    package: 'checkov',
    version: '3.3.30',
    onlyBinary: true,
    binaries: ['checkov'],
    versionArgs: ['--version'],
    versionMatch: '3.3.30',
    why: 'infrastructure-as-code scanner with native SARIF output',
  },
  {
    name: 'cfn-lint',
    source: 'pypi',
    package: 'cfn-lint[sarif]',
    version: '1.58.0',
    onlyBinary: true,
    binaries: ['cfn-lint'],
    versionArgs: ['--version'],
    versionMatch: '1.58.0',
    why: 'CloudFormation linter; the sarif extra brings its SARIF formatter',
  },
];
