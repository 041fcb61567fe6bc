// How the Kubescape stand-in decides which recording answers a scan.
// Shared by the stand-in (test/stand-ins/bin/kubescape) and the recorder
// (record.ts), so both compute exactly the same keys. Plain JavaScript; YAML is
// read with the `yaml` package (resolved from this file's folder, so the
// stand-in finds it whatever directory it runs in).
//
// A scan's inputs are the manifest files Kubescape would read: every .yaml,
// .yml and .json file under a directory argument (recursively), or a file
// argument itself. Each file gets a key:
//   - a `kind: List` dump (what `kubectl get … -o yaml` writes), or a
//     multi-document file holding one, is keyed by the SET of resource
//     identities it contains (apiVersion/namespace/kind/name), so another
//     kubectl version's YAML layout still matches while a different cluster
//     does not;
//   - any other file is keyed by the sha256 of its bytes, so paths may differ
//     but content may not.
// A recording matches when its frameworks and its multiset of input keys equal
// the scan's.

import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** Kubescape reads a file as YAML when its extension is yaml/yml, as JSON when json (case-sensitive). */
export function manifestFormat(fileName) {
  const ext = path.extname(fileName);
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.json') return 'json';
  return undefined;
}

/**
 * Expand scan arguments to the manifest files Kubescape would read.
 * Returns absolute paths in a stable order, plus the arguments that do not exist
 * and explicit file arguments that are not manifests.
 */
export function collectInputFiles(args, cwd) {
  const files = [];
  const missing = [];
  const ignored = [];
  const seen = new Set();
  const add = (file, arg) => {
    if (seen.has(file)) return;
    seen.add(file);
    files.push({ arg, path: file });
  };
  for (const arg of args) {
    const abs = path.resolve(cwd, arg);
    let stat;
    try {
      stat = statSync(abs);
    } catch {
      missing.push(arg);
      continue;
    }
    if (stat.isDirectory()) {
      for (const file of walk(abs)) add(file, arg);
    } else if (manifestFormat(abs)) {
      add(abs, arg);
    } else {
      ignored.push(arg);
    }
  }
  return { files, missing, ignored };
}

function walk(dir) {
  const out = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if ((entry.isFile() || entry.isSymbolicLink()) && manifestFormat(full)) {
      try {
        if (statSync(full).isFile()) out.push(full);
      } catch {
        // dangling symlink: Kubescape cannot read it either
      }
    }
  }
  return out;
}

/** Parse a manifest file into its documents (JSON: one document). Throws when unreadable. */
export function parseManifestDocuments(text, fileName) {
  if (manifestFormat(fileName) === 'json') return [JSON.parse(text)];
  return parseAllDocuments(text).map((document) => {
    if (document.errors.length > 0) throw document.errors[0];
    return document.toJS();
  });
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A list object as kubectl writes it (kind: List, or a typed FooList with items). */
export function isListObject(value) {
  return (
    isObject(value) &&
    typeof value.kind === 'string' &&
    (value.kind === 'List' || value.kind.endsWith('List')) &&
    Array.isArray(value.items)
  );
}

/** The Kubernetes objects in a file's documents, with List items expanded, in file order. */
export function objectsOfDocuments(documents) {
  const out = [];
  const visit = (value) => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isObject(value) || typeof value.kind !== 'string') return;
    if (isListObject(value)) {
      for (const item of value.items) if (isObject(item) && typeof item.kind === 'string') out.push(item);
      return;
    }
    out.push(value);
  };
  for (const doc of documents) visit(doc);
  return out;
}

/** apiVersion/namespace/kind/name, the way Kubescape names a resource (namespace empty when cluster-scoped). */
export function resourceIdentity(obj) {
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  const str = (v) => (v === undefined || v === null ? '' : String(v));
  return `${str(obj.apiVersion)}/${str(meta.namespace)}/${str(obj.kind)}/${str(meta.name)}`;
}

export function sha256Hex(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The key of one input file.
 * @returns {{ sha256: string } | { resources: string[] }}
 */
export function inputKey(bytes, fileName) {
  let documents;
  try {
    documents = parseManifestDocuments(bytes.toString('utf8'), fileName);
  } catch {
    documents = undefined;
  }
  if (documents && documents.some((doc) => isListObject(doc))) {
    const identities = [...new Set(objectsOfDocuments(documents).map(resourceIdentity))].sort();
    return { resources: identities };
  }
  return { sha256: sha256Hex(bytes) };
}

export function inputKeyOfFile(file) {
  return inputKey(readFileSync(file), file);
}

/** One string per key, for comparing multisets of keys. */
export function canonicalKey(key) {
  if ('sha256' in key) return `sha256:${key.sha256}`;
  return `resources:${sha256Hex(Buffer.from(key.resources.join('\n'), 'utf8'))}`;
}

export function sameInputs(keysA, keysB) {
  if (keysA.length !== keysB.length) return false;
  const a = keysA.map(canonicalKey).sort();
  const b = keysB.map(canonicalKey).sort();
  return a.every((k, i) => k === b[i]);
}

/** Short human description of a key, for messages. */
export function describeKey(key) {
  if ('sha256' in key) return `sha256:${key.sha256.slice(0, 16)}…`;
  return `kind: List dump of ${key.resources.length} resources (identity set ${canonicalKey(key).slice(10, 26)}…)`;
}
