/**
 * sarif/v0.1: embeds the run's SARIF report (`report`, `reportFileName`, `reportDigestSet`).
 * Only products of this run qualify; each candidate is re-hashed (it must still match its product
 * digest) and validated against the vendored SARIF 2.1.0 schema before selection.
 */
import { open, readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { jsonDepth } from '../attestation/json.js';
import { MAX_JSON_DEPTH } from '../attestation/limits.js';
import { sha256Hex } from '../files/digest.js';
import { productKind } from './product.js';
import { pathsNamedInArgv, selectSarif, type LoadedCandidate } from './sarif/select.js';
import { AttestorSkipped, type AttestorImplementation, type AttestorOutput, type Produced, type ProductFile, type RunContext } from './types.js';

/** The report is embedded as `{report: …}`, one level inside the attestation body. */
const MAX_SARIF_DEPTH = MAX_JSON_DEPTH - 1;

export interface SarifBody {
  report: unknown;
  reportFileName: string;
  reportDigestSet: Record<string, string>;
}

interface SarifCandidate extends LoadedCandidate {
  readonly product: ProductFile;
  readonly document?: unknown;
}

const SNIFF_BYTES = 4096;

/** Whether a `.json` product looks like a SARIF log from its first bytes (a cheap pre-filter). */
async function looksLikeSarif(path: string | Buffer): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8');
    return /"runs"\s*:/.test(head) && (/"version"\s*:\s*"2\.1\.0"/.test(head) || /sarif/i.test(head));
  } finally {
    await handle.close();
  }
}

async function loadCandidate(product: ProductFile): Promise<SarifCandidate> {
  let bytes: Buffer;
  try {
    bytes = await readFile(product.absolutePath);
  } catch (error) {
    return { path: product.path, product, problems: [`cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`] };
  }
  if (product.digest.sha256 !== undefined && sha256Hex(bytes) !== product.digest.sha256) {
    return { path: product.path, product, problems: ['it changed after it was hashed as a product'] };
  }
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    return { path: product.path, product, problems: [`it is not JSON (${(error as Error).message})`] };
  }
  // Checked before the schema: ajv recurses, and whatever run attests verify must be able to check.
  const depth = jsonDepth(document);
  if (depth > MAX_SARIF_DEPTH) {
    return { path: product.path, product, problems: [`it nests ${depth} levels deep, more than the ${MAX_SARIF_DEPTH} levels cilock accepts in a SARIF report (attestation bodies are limited to ${MAX_JSON_DEPTH} levels and the report sits one level inside its body)`] };
  }
  // The schema module pulls in ajv and a 137 KB schema; load it only when there is SARIF to check.
  const { sarifSchemaErrors } = await import('./sarif/schema.js');
  return { path: product.path, product, document, problems: sarifSchemaErrors(document) };
}

async function candidateProducts(products: readonly ProductFile[]): Promise<ProductFile[]> {
  const picked: ProductFile[] = [];
  for (const product of products) {
    if (productKind(product.path) === 'sarif') picked.push(product);
    else if (product.path.toLowerCase().endsWith('.json') && (await looksLikeSarif(product.absolutePath).catch(() => false))) picked.push(product);
  }
  return picked;
}

async function explicitReport(context: RunContext, products: ReadonlyMap<string, ProductFile>, requested: string): Promise<SarifCandidate> {
  const absolute = isAbsolute(requested) ? requested : resolve(context.workingDir, requested);
  const rel = relative(context.workingDir, absolute).split(sep).join('/');
  const product = products.get(rel);
  if (!product) {
    const exists = await readFile(absolute).then(() => true, () => false);
    throw new Error(
      exists
        ? `--attestor-sarif-report "${requested}" was not written or changed by this run, so it is not one of its products; make the command write it (it is resolved against --workingdir ${context.workingDir})`
        : `--attestor-sarif-report "${requested}" does not exist after the command ran; check the path (it is resolved against --workingdir ${context.workingDir})`,
    );
  }
  const candidate = await loadCandidate(product);
  if (candidate.problems.length > 0) {
    throw new Error(`--attestor-sarif-report "${rel}" is not valid SARIF 2.1.0: ${candidate.problems.join('; ')}; fix the tool's output or point the flag at the SARIF file`);
  }
  return candidate;
}

export async function collectSarif(context: RunContext, produced: Produced): Promise<AttestorOutput> {
  const products = produced.products ?? new Map<string, ProductFile>();
  const exitCode = produced.command?.result.exitCode ?? 0;
  let chosen: SarifCandidate;
  let reason: string;
  if (context.sarifReport !== undefined) {
    chosen = await explicitReport(context, products, context.sarifReport);
    reason = 'picked with --attestor-sarif-report';
  } else {
    const candidates = await Promise.all((await candidateProducts([...products.values()])).map(loadCandidate));
    const selection = selectSarif(candidates, pathsNamedInArgv(context.argv, context.workingDir));
    if (selection.kind === 'error') throw new Error(selection.message);
    if (selection.kind === 'none') {
      const what = products.size === 0 ? 'the command wrote no files' : `none of the ${products.size} new or changed file(s) is a SARIF report`;
      if (exitCode !== 0) throw new AttestorSkipped(`${what} (the command exited ${exitCode})`);
      throw new Error(`no SARIF report to attest: ${what}; make the tool write SARIF into the working directory (e.g. --format sarif --output report.sarif), or drop "sarif" from -a/--attestations`);
    }
    chosen = selection.candidate;
    reason = selection.reason;
  }
  const body: SarifBody = { report: chosen.document, reportFileName: chosen.path, reportDigestSet: chosen.product.digest };
  return { body, detail: `${chosen.path} (${reason})` };
}

export const sarifAttestor: AttestorImplementation = {
  name: 'sarif',
  run: collectSarif,
};
