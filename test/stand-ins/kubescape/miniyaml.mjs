// A small reader for the block-YAML subset that Kubernetes manifests and
// `kubectl get … -o yaml` dumps use. Plain JavaScript with no dependencies,
// because the `kubescape` stand-in runs from arbitrary directories without
// node_modules. The recorder uses the full `yaml` package for its analysis
// and checks that both readers agree on every input it records.
//
// Supported: several documents (`---`, `...`), block mappings and sequences
// (including `- key: value` and indentless sequences under a key), plain,
// single- and double-quoted scalars (also over several lines), literal and
// folded block scalars, one-line or multi-line flow collections, comments,
// tags and anchors (skipped), simple aliases. Not supported: complex keys
// (`? key`), merge keys. Anything it cannot read raises a YamlSubsetError.

export class YamlSubsetError extends Error {
  constructor(message, line) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'YamlSubsetError';
  }
}

/** Parse every document of a YAML stream. Empty documents come back as null. */
export function parseYamlDocuments(text) {
  const rawLines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const documents = [];
  let current = [];
  let sawContent = false;
  let explicitStart = false;
  const flush = (force) => {
    if (force || current.some((l) => !isBlankOrComment(l.text))) {
      documents.push(new DocumentParser(current).parseDocument());
    }
    current = [];
  };
  for (let i = 0; i < rawLines.length; i++) {
    const raw = rawLines[i];
    if (/^---(?:\s|$)/.test(raw)) {
      if (sawContent || explicitStart) flush(true);
      sawContent = false;
      explicitStart = true;
      const rest = raw.slice(3).trim();
      if (rest !== '' && !rest.startsWith('#')) {
        current.push({ no: i + 1, indent: 0, text: rest });
        sawContent = true;
      }
      continue;
    }
    if (/^\.\.\.(?:\s|$)/.test(raw)) {
      flush(explicitStart || sawContent);
      sawContent = false;
      explicitStart = false;
      continue;
    }
    if (!sawContent && !explicitStart && raw.startsWith('%')) continue; // directive
    const indent = raw.length - raw.replace(/^ +/, '').length;
    current.push({ no: i + 1, indent, text: raw.slice(indent) });
    if (!isBlankOrComment(raw.slice(indent))) sawContent = true;
  }
  if (sawContent || explicitStart) flush(true);
  return documents;
}

function isBlankOrComment(text) {
  const t = text.trim();
  return t === '' || t.startsWith('#');
}

class DocumentParser {
  constructor(lines) {
    this.lines = lines;
    this.pos = 0;
    this.anchors = new Map();
  }

  parseDocument() {
    this.skipBlank();
    if (this.pos >= this.lines.length) return null;
    const value = this.parseNode(-1);
    this.skipBlank();
    if (this.pos < this.lines.length) {
      const line = this.lines[this.pos];
      throw new YamlSubsetError(`unexpected content "${line.text.trim()}"`, line.no);
    }
    return value;
  }

  skipBlank() {
    while (this.pos < this.lines.length && isBlankOrComment(this.lines[this.pos].text)) this.pos++;
  }

  peek() {
    this.skipBlank();
    return this.pos < this.lines.length ? this.lines[this.pos] : undefined;
  }

  /** Parse the node starting at the next significant line, indented more than parentIndent. */
  parseNode(parentIndent) {
    const line = this.peek();
    if (!line || line.indent <= parentIndent) return null;
    if (isSequenceEntry(line.text)) return this.parseSequence(line.indent);
    if (findMappingColon(line.text) >= 0) return this.parseMapping(line.indent);
    // A scalar or flow collection standing on its own lines.
    this.pos++;
    return this.parseInlineValue(line.text, parentIndent, line.no);
  }

  parseMapping(indent) {
    const result = {};
    for (;;) {
      const line = this.peek();
      if (!line || line.indent < indent) break;
      if (line.indent > indent) throw new YamlSubsetError('bad indentation of a mapping entry', line.no);
      if (isSequenceEntry(line.text)) break; // belongs to an outer indentless sequence
      const colon = findMappingColon(line.text);
      if (colon < 0) throw new YamlSubsetError(`expected "key: value", got "${line.text.trim()}"`, line.no);
      const key = readKey(line.text.slice(0, colon), line.no);
      const rest = line.text.slice(colon + 1);
      this.pos++;
      result[key] = this.parseValueAfterIndicator(rest, indent, line.no, true);
    }
    return result;
  }

  parseSequence(indent) {
    const result = [];
    for (;;) {
      const line = this.peek();
      if (!line || line.indent !== indent || !isSequenceEntry(line.text)) {
        if (line && line.indent > indent) throw new YamlSubsetError('bad indentation of a sequence entry', line.no);
        break;
      }
      const afterDash = line.text.slice(1);
      const spaces = afterDash.length - afterDash.replace(/^ +/, '').length;
      const content = afterDash.slice(spaces);
      if (content === '' || content.startsWith('#')) {
        this.pos++;
        result.push(this.parseNode(indent));
        continue;
      }
      const stripped = stripProperties(content);
      if (stripped.rest !== content && stripped.rest === '') {
        // "- &anchor" followed by a nested block
        this.pos++;
        const value = this.parseNode(indent);
        if (stripped.anchor) this.anchors.set(stripped.anchor, value);
        result.push(value);
        continue;
      }
      if (isSequenceEntry(content) || findMappingColon(content) >= 0) {
        // Compact nested collection: re-read this line as if "- " were indentation.
        const column = indent + 1 + spaces;
        this.lines[this.pos] = { no: line.no, indent: column, text: content };
        result.push(this.parseNode(indent));
        continue;
      }
      this.pos++;
      result.push(this.parseInlineValue(content, indent, line.no));
    }
    return result;
  }

  /** The value after "key:"; either on the same line or as a nested block. */
  parseValueAfterIndicator(rest, keyIndent, lineNo, allowIndentlessSequence) {
    const trimmed = rest.trim();
    const props = stripProperties(trimmed);
    if (props.rest === '' || props.rest.startsWith('#')) {
      const next = this.peek();
      let value = null;
      if (next && next.indent > keyIndent) value = this.parseNode(keyIndent);
      else if (next && allowIndentlessSequence && next.indent === keyIndent && isSequenceEntry(next.text)) {
        value = this.parseSequence(keyIndent);
      }
      if (props.anchor) this.anchors.set(props.anchor, value);
      return value;
    }
    const value = this.parseInlineValue(trimmed, keyIndent, lineNo);
    return value;
  }

  /**
   * Parse a value that starts on the current line (text), possibly continuing on
   * following lines indented more than parentIndent.
   */
  parseInlineValue(text, parentIndent, lineNo) {
    const props = stripProperties(text.trim());
    let t = props.rest;
    let value;
    if (t.startsWith('*')) {
      const name = t.slice(1).replace(/\s+#.*$/, '').trim();
      if (!this.anchors.has(name)) throw new YamlSubsetError(`unknown alias *${name}`, lineNo);
      value = this.anchors.get(name);
    } else if (t.startsWith('|') || t.startsWith('>')) {
      value = this.readBlockScalar(t, parentIndent, lineNo);
    } else if (t.startsWith('"') || t.startsWith("'")) {
      value = this.readQuoted(t, parentIndent, lineNo);
    } else if (t.startsWith('[') || t.startsWith('{')) {
      value = this.readFlow(t, parentIndent, lineNo);
    } else {
      value = this.readPlain(t, parentIndent);
    }
    if (props.anchor) this.anchors.set(props.anchor, value);
    return value;
  }

  readPlain(first, parentIndent) {
    let text = stripComment(first);
    const more = [];
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos];
      const body = line.text.trim();
      if (body === '') {
        // Blank lines inside a multi-line plain scalar become newlines, but only
        // if more continuation follows.
        let k = this.pos;
        while (k < this.lines.length && this.lines[k].text.trim() === '') k++;
        if (k < this.lines.length && this.lines[k].indent > parentIndent && !this.lines[k].text.trim().startsWith('#')) {
          more.push('\n'.repeat(k - this.pos));
          this.pos = k;
          continue;
        }
        break;
      }
      if (line.indent <= parentIndent || body.startsWith('#')) break;
      more.push(stripComment(body));
      this.pos++;
    }
    for (const part of more) {
      if (part.startsWith('\n')) text += part;
      else text += text.endsWith('\n') || text === '' ? part : ` ${part}`;
    }
    return resolvePlainScalar(text.trim());
  }

  readQuoted(first, parentIndent, lineNo) {
    const quote = first[0];
    let buffer = first;
    for (;;) {
      const end = findClosingQuote(buffer, quote);
      if (end >= 0) {
        const after = buffer.slice(end + 1).trim();
        if (after !== '' && !after.startsWith('#')) {
          throw new YamlSubsetError(`unexpected text after quoted scalar: "${after}"`, lineNo);
        }
        return unquote(buffer.slice(0, end + 1), quote);
      }
      if (this.pos >= this.lines.length) throw new YamlSubsetError('unterminated quoted scalar', lineNo);
      const line = this.lines[this.pos++];
      buffer += `\n${line.text.trim()}`;
    }
  }

  readFlow(first, parentIndent, lineNo) {
    let buffer = first;
    let scanned = scanFlow(buffer);
    while (!scanned.complete) {
      if (this.pos >= this.lines.length) throw new YamlSubsetError('unterminated flow collection', lineNo);
      const line = this.lines[this.pos++];
      buffer += `\n${line.text}`;
      scanned = scanFlow(buffer);
    }
    const parser = new FlowParser(scanned.cleaned, lineNo);
    const value = parser.parseValue();
    parser.skipSpace();
    if (parser.i < scanned.cleaned.length) throw new YamlSubsetError('unexpected text after flow collection', lineNo);
    return value;
  }

  readBlockScalar(header, parentIndent, lineNo) {
    const m = /^([|>])([+-]?)(\d?)([+-]?)\s*(#.*)?$/.exec(header);
    if (!m) throw new YamlSubsetError(`bad block scalar header "${header}"`, lineNo);
    const literal = m[1] === '|';
    const chomp = m[2] || m[4];
    const explicitIndent = m[3] ? Number(m[3]) : 0;
    const raw = [];
    let contentIndent = explicitIndent > 0 ? Math.max(parentIndent, 0) + explicitIndent : -1;
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos];
      const isBlank = line.text.trim() === '';
      if (!isBlank) {
        if (contentIndent < 0) {
          if (line.indent <= parentIndent) break;
          contentIndent = line.indent;
        }
        if (line.indent < contentIndent) break;
        raw.push(' '.repeat(line.indent - contentIndent) + line.text);
      } else {
        const extra = line.indent > contentIndent && contentIndent >= 0 ? ' '.repeat(line.indent - contentIndent) : '';
        raw.push(extra);
      }
      this.pos++;
    }
    let trailing = 0;
    while (raw.length > 0 && raw[raw.length - 1].trim() === '') {
      raw.pop();
      trailing++;
    }
    // Give the trailing blank lines back to the caller for structure purposes;
    // they only matter for "keep" chomping.
    let body;
    if (literal) body = raw.join('\n');
    else {
      body = '';
      for (let i = 0; i < raw.length; i++) {
        const cur = raw[i];
        if (i === 0) body = cur;
        else if (cur === '' || cur.startsWith(' ') || raw[i - 1] === '' || raw[i - 1].startsWith(' ')) body += `\n${cur}`;
        else body += ` ${cur}`;
      }
    }
    if (raw.length === 0) return '';
    if (chomp === '-') return body;
    if (chomp === '+') return `${body}\n${'\n'.repeat(trailing)}`;
    return `${body}\n`;
  }
}

function isSequenceEntry(text) {
  return text === '-' || text.startsWith('- ') || text.startsWith('-\t');
}

/** Position of the ":" that ends a mapping key on this line, or -1. */
function findMappingColon(text) {
  if (text.startsWith('#') || text.startsWith('[') || text.startsWith('{')) return -1;
  if (text.startsWith('? ')) throw new YamlSubsetError('complex mapping keys are not supported');
  const props = stripProperties(text);
  const i = text.length - props.rest.length;
  if (text[i] === '"' || text[i] === "'") {
    const end = findClosingQuote(text.slice(i), text[i]);
    if (end < 0) return -1;
    let j = i + end + 1;
    while (text[j] === ' ') j++;
    return text[j] === ':' && (j + 1 === text.length || /\s/.test(text[j + 1])) ? j : -1;
  }
  for (let j = i; j < text.length; j++) {
    if (text[j] === '#' && j > 0 && /\s/.test(text[j - 1])) return -1;
    if (text[j] === ':' && (j + 1 === text.length || /\s/.test(text[j + 1]))) return j;
  }
  return -1;
}

function readKey(raw, lineNo) {
  const props = stripProperties(raw.trim());
  const t = props.rest.trim();
  if (t.startsWith('"') || t.startsWith("'")) return unquote(t, t[0]);
  if (t === '') throw new YamlSubsetError('empty mapping key', lineNo);
  return t;
}

/** Remove leading tag (!x) and anchor (&x) properties. */
function stripProperties(text) {
  let rest = text;
  let anchor;
  for (;;) {
    const m = /^([!&])(\S*)(?:\s+|$)/.exec(rest);
    if (!m) break;
    if (m[1] === '&') anchor = m[2];
    rest = rest.slice(m[0].length);
  }
  return { rest, anchor };
}

function stripComment(text) {
  const m = /(^|\s)#/.exec(text);
  return (m ? text.slice(0, m.index) : text).trimEnd();
}

function findClosingQuote(text, quote) {
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') {
      i++;
      continue;
    }
    if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") {
        i++;
        continue;
      }
      return i;
    }
  }
  return -1;
}

function foldQuotedLines(inner) {
  // Line breaks inside quoted scalars fold: one break becomes a space, n+1 breaks become n newlines.
  const parts = inner.split('\n').map((p, i, all) => {
    let s = p;
    if (i > 0) s = s.replace(/^[ \t]+/, '');
    if (i < all.length - 1) s = s.replace(/[ \t]+$/, '');
    return s;
  });
  let out = parts[0] ?? '';
  let pendingNewlines = 0;
  for (let i = 1; i < parts.length; i++) {
    if (parts[i] === '' && i < parts.length - 1) {
      pendingNewlines++;
      continue;
    }
    out += pendingNewlines > 0 ? '\n'.repeat(pendingNewlines) : ' ';
    out += parts[i];
    pendingNewlines = 0;
  }
  return out;
}

function unquote(text, quote) {
  const inner = text.slice(1, -1);
  if (quote === "'") return foldQuotedLines(inner).replace(/''/g, "'");
  // Escaped line breaks join lines without a space.
  const joined = inner.replace(/\\\n[ \t]*/g, '');
  const folded = foldQuotedLines(joined);
  return folded.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_m, esc) => {
    switch (esc[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '0':
        return '\0';
      case 'b':
        return '\b';
      case 'e':
        return '\x1b';
      case ' ':
        return ' ';
      case '/':
        return '/';
      case '"':
        return '"';
      case '\\':
        return '\\';
      case 'N':
        return '\u0085';
      case '_':
        return '\u00a0';
      case 'x':
      case 'u':
      case 'U':
        return String.fromCodePoint(parseInt(esc.slice(1), 16));
      default:
        return esc;
    }
  });
}

/** YAML 1.2 core schema resolution for plain scalars (what yaml.v3 and kubectl use). */
export function resolvePlainScalar(text) {
  if (text === '' || text === '~' || /^(null|Null|NULL)$/.test(text)) return null;
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?[0-9]+$/.test(text)) return Number(text);
  if (/^0o[0-7]+$/.test(text)) return parseInt(text.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  if (/^[-+]?\.(inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(nan|NaN|NAN)$/.test(text)) return NaN;
  return text;
}

/**
 * Scan a flow collection that may span lines: drop comments, and report whether
 * the brackets are closed. A quote opens a string only where a flow token starts.
 */
function scanFlow(text) {
  let depth = 0;
  let cleaned = '';
  let tokenStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === '"' || c === "'") && tokenStart) {
      const end = findClosingQuote(text.slice(i), c);
      if (end < 0) return { complete: false, cleaned };
      cleaned += text.slice(i, i + end + 1);
      i += end;
      tokenStart = false;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      while (i < text.length && text[i] !== '\n') i++;
      cleaned += '\n';
      continue;
    }
    if (c === '[' || c === '{') depth++;
    if (c === ']' || c === '}') depth--;
    cleaned += c;
    if (/[[{,:]/.test(c) || /\s/.test(c)) tokenStart = tokenStart || /[[{,:]/.test(c);
    else tokenStart = false;
    if (depth === 0 && (c === ']' || c === '}')) return { complete: true, cleaned: cleaned + text.slice(i + 1).replace(/(^|\s)#.*$/s, '') };
  }
  return { complete: depth <= 0, cleaned };
}

class FlowParser {
  constructor(text, lineNo) {
    this.s = text;
    this.i = 0;
    this.lineNo = lineNo;
  }

  skipSpace() {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  fail(message) {
    throw new YamlSubsetError(`flow collection: ${message}`, this.lineNo);
  }

  parseValue() {
    this.skipSpace();
    const c = this.s[this.i];
    if (c === '[') return this.parseSeq();
    if (c === '{') return this.parseMap();
    if (c === '"' || c === "'") {
      const end = findClosingQuote(this.s.slice(this.i), c);
      if (end < 0) this.fail('unterminated string');
      const raw = this.s.slice(this.i, this.i + end + 1);
      this.i += end + 1;
      return unquote(raw, c);
    }
    const start = this.i;
    while (this.i < this.s.length && !/[,\]}]/.test(this.s[this.i])) {
      if (this.s[this.i] === ':' && /\s/.test(this.s[this.i + 1] ?? ' ')) break;
      this.i++;
    }
    return resolvePlainScalar(this.s.slice(start, this.i).trim());
  }

  parseSeq() {
    this.i++;
    const out = [];
    for (;;) {
      this.skipSpace();
      if (this.s[this.i] === ']') {
        this.i++;
        return out;
      }
      out.push(this.parseValue());
      this.skipSpace();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== ']') this.fail('expected "," or "]"');
    }
  }

  parseMap() {
    this.i++;
    const out = {};
    for (;;) {
      this.skipSpace();
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      const key = this.parseValue();
      this.skipSpace();
      let value = null;
      if (this.s[this.i] === ':') {
        this.i++;
        value = this.parseValue();
      }
      out[String(key)] = value;
      this.skipSpace();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') this.fail('expected "," or "}"');
    }
  }
}
