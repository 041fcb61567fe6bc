/** Every import of the repo's TypeScript and Astro sources, parsed with the TypeScript compiler. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** Repo-relative importing file. */
  from: string;
  /** Repo-relative resolved target for relative specifiers, else the bare specifier. */
  to: string;
  /** `import type …`, `export type …` or every named binding type-only: erased at runtime. */
  typeOnly: boolean;
  line: number;
}

const SOURCE = /\.(ts|tsx|mts|mjs|js|astro)$/;
const SKIP = new Set(['node_modules', 'dist', '.astro', '.tools', '.git']);

export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(path.join(root, d), { withFileTypes: true })) {
      if (SKIP.has(e.name)) continue;
      const rel = path.join(d, e.name);
      if (e.isDirectory()) walk(rel);
      else if (SOURCE.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  walk(dir);
  return out.sort();
}

/** The script part of a file: an .astro file's front matter, anything else whole. */
function scriptOf(file: string, text: string): string {
  if (!file.endsWith('.astro')) return text;
  const m = /^---\n([\s\S]*?)\n---/.exec(text);
  return m ? m[1]! : '';
}

function resolveTarget(root: string, from: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  return path.relative(root, path.resolve(root, path.dirname(from), spec)).replace(/\.js$/, '.ts');
}

export function importsOf(root: string, file: string): ImportEdge[] {
  const text = scriptOf(file, readFileSync(path.join(root, file), 'utf8'));
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const add = (spec: ts.Expression, typeOnly: boolean, node: ts.Node) => {
    if (!ts.isStringLiteral(spec)) return;
    edges.push({ from: file, to: resolveTarget(root, file, spec.text), typeOnly, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const allTypes = !!clause && !clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly);
      add(node.moduleSpecifier, !!clause && (clause.isTypeOnly || allTypes), node);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      add(node.moduleSpecifier, node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)), node);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0]) {
      add(node.arguments[0], false, node);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}
