// Rust: rmcp `#[tool(name = …, description = …, annotations(…))]` functions in `#[tool_router]` /
// `#[tool(tool_box)]` impls; parameters from `Parameters<Struct>` (or `#[tool(aggr)]`) struct fields
// and from older per-argument `#[tool(param)]` attributes, with schemars descriptions or doc comments.
import type { Node } from 'web-tree-sitter';
import { enclosingAt, lineOf, named, type Project } from './project.ts';

const ATTRS = new Set(['attribute_item']);
const STRUCTS = new Set(['struct_item']);
import { unescape } from './text.ts';
import type { JsonSchema, RawTool, SourceFile, ToolInput } from './types.ts';

export function mayHoldRustTools(text: string): boolean {
  return text.includes('#[tool');
}

type Attr = Map<string, string | boolean | number | Attr>;

/** Structs of every Rust file of a server, by name. */
export class RustStructs {
  private map?: Map<string, Node>;
  constructor(readonly project: Project) {}
  get(name: string): Node | undefined {
    if (!this.map) {
      this.map = new Map();
      for (const file of this.project.files) {
        if (file.language !== 'rust' || !file.text.includes('struct ')) continue;
        for (const n of enclosingAt(this.project.tree(file).rootNode, file.text, /\bstruct\s/, STRUCTS))
          if (n.type === 'struct_item') {
            const id = n.childForFieldName('name')?.text;
            if (id && !this.map.has(id)) this.map.set(id, n);
          }
      }
    }
    return this.map.get(name);
  }
}

function literal(node: Node): string | boolean | number | undefined {
  if (node.type === 'string_literal')
    return unescape(
      named(node)
        .map((c) => (c.type === 'escape_sequence' ? c.text : c.text))
        .join(''),
      'rust',
    );
  if (node.type === 'raw_string_literal')
    return named(node).find((c) => c.type === 'string_content')?.text ?? '';
  if (node.type === 'boolean_literal') return node.text === 'true';
  if (node.type === 'integer_literal' || node.type === 'float_literal')
    return Number(node.text.replace(/_/g, ''));
  return undefined;
}

/** `#[name(key = value, nested(key = value), flag)]` → map; flags map to true. */
function parseTokens(tree: Node): Attr {
  const out: Attr = new Map();
  const kids = tree.children.filter((c): c is Node => c !== null && c.type !== '(' && c.type !== ')');
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i] as Node;
    if (k.type !== 'identifier') continue;
    const next = kids[i + 1];
    if (next?.type === '=' && kids[i + 2]) {
      let j = i + 2;
      let text = '';
      // concat!("a", "b") or a literal
      if (
        kids[j]?.type === 'identifier' &&
        kids[j]?.text === 'concat' &&
        kids[j + 2]?.type === 'token_tree'
      ) {
        text = named(kids[j + 2] as Node)
          .map((s) => String(literal(s) ?? ''))
          .join('');
        out.set(k.text, text);
        j += 2;
      } else {
        const v = literal(kids[j] as Node);
        if (v !== undefined) out.set(k.text, v);
      }
      i = j;
    } else if (next?.type === 'token_tree') {
      out.set(k.text, parseTokens(next));
      i++;
    } else out.set(k.text, true);
  }
  return out;
}

function attrOf(item: Node): { name: string; args: Attr } | undefined {
  const attr = named(item).find((c) => c.type === 'attribute');
  if (!attr) return undefined;
  const name = attr.namedChild(0)?.text ?? '';
  const tree = attr.childForFieldName('arguments');
  return { name, args: tree ? parseTokens(tree) : new Map() };
}

/** Attributes and doc comments directly before a node (siblings up to the previous item). */
function leading(node: Node): { attrs: { name: string; args: Attr }[]; doc: string[] } {
  const attrs: { name: string; args: Attr }[] = [];
  const doc: string[] = [];
  for (let p = node.previousSibling; p; p = p.previousSibling) {
    if (p.type === 'attribute_item') {
      const a = attrOf(p);
      if (a) attrs.unshift(a);
    } else if (p.type === 'line_comment' && /^\/\/\/(?!\/)/.test(p.text))
      doc.unshift(p.text.replace(/^\/\/\//, '').trim());
    else if (p.type === 'ERROR') {
      for (const c of named(p))
        if (c.type === 'attribute_item') attrs.unshift(attrOf(c) ?? { name: '', args: new Map() });
    } else break;
  }
  return { attrs, doc };
}

/** Inside `#[cfg(test)] mod tests { … }`: test code, not the server. */
function inTestModule(node: Node): boolean {
  for (let n = node.parent; n; n = n.parent)
    if (n.type === 'mod_item' && leading(n).attrs.some((a) => a.name === 'cfg' && a.args.has('test')))
      return true;
  return false;
}

function docText(lines: string[]): string | undefined {
  const text = lines
    .map((l) => l.replace(/\r$/, ''))
    .join('\n')
    .trim();
  return text || undefined;
}

export function extractRust(file: SourceFile, project: Project, structs: RustStructs): RawTool[] {
  const tools: RawTool[] = [];
  const root = project.tree(file).rootNode;
  const fns = new Map<number, Node>();
  for (const attr of enclosingAt(root, file.text, /#\[tool\b/, ATTRS)) {
    let next = attr.nextNamedSibling;
    while (
      next &&
      (next.type === 'attribute_item' || next.type === 'line_comment' || next.type === 'block_comment')
    )
      next = next.nextNamedSibling;
    if (next?.type === 'function_item' && !inTestModule(next)) fns.set(next.id, next);
  }
  for (const fn of fns.values()) {
    const { attrs, doc } = leading(fn);
    const tool = attrs.find((a) => a.name === 'tool' && !a.args.has('tool_box'));
    if (!tool) continue;
    // A `#[tool]` fn outside an impl is only a tool inside a tool_box/tool_router impl or with a router.
    const fnName = fn.childForFieldName('name')?.text ?? '';
    const name = typeof tool.args.get('name') === 'string' ? (tool.args.get('name') as string) : fnName;
    const desc = tool.args.get('description');
    const raw: RawTool = {
      name,
      inputSchema: { properties: {}, required: [] },
      source: { path: file.path, line: lineOf(fn) },
      unresolved: [],
    };
    if (typeof desc === 'string') raw.description = desc;
    else if (docText(doc)) raw.description = docText(doc);
    if (typeof tool.args.get('title') === 'string') raw.title = tool.args.get('title') as string;
    const ann = tool.args.get('annotations');
    if (ann instanceof Map) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of ann) {
        const key = k.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
        if (['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint', 'title'].includes(key))
          out[key] = v;
      }
      if (Object.keys(out).length > 0) raw.annotations = out;
    }
    readParams(fn, raw, structs);
    tools.push(raw);
  }
  return tools;
}

function readParams(fn: Node, tool: RawTool, structs: RustStructs): void {
  const params = fn.childForFieldName('parameters');
  let pending: { name: string; args: Attr }[] = [];
  for (const p of params?.children ?? []) {
    if (!p) continue;
    if (p.type === 'attribute_item') {
      const a = attrOf(p);
      if (a) pending.push(a);
      continue;
    }
    if (p.type === 'ERROR') {
      for (const c of named(p))
        if (c.type === 'attribute_item') pending.push(attrOf(c) ?? { name: '', args: new Map() });
      continue;
    }
    if (p.type !== 'parameter') continue;
    const type = p.childForFieldName('type');
    const pattern = p.childForFieldName('pattern');
    const typeText = type?.text ?? '';
    const wrapped = /^(?:Parameters|Json)\s*<\s*([A-Za-z_][\w:]*)\s*>$/.exec(typeText)?.[1];
    const isAggr = pending.some((a) => a.name === 'tool' && a.args.has('aggr'));
    if (wrapped || isAggr) {
      const struct = structs.get((wrapped ?? typeText).replace(/^.*::/, ''));
      if (struct) tool.inputSchema = structInput(struct);
      else if (!/JsonObject|Map|Value/.test(wrapped ?? typeText)) tool.unresolved.push('inputSchema');
    } else if (pending.some((a) => a.name === 'tool' && a.args.has('param')) && pattern) {
      const schema = rustType(typeText);
      const s = pending.find((a) => a.name === 'schemars')?.args.get('description');
      if (typeof s === 'string') schema.description = s;
      tool.inputSchema.properties[pattern.text] = schema;
      if (!/^Option\s*</.test(typeText)) tool.inputSchema.required.push(pattern.text);
    }
    pending = [];
  }
}

function structInput(struct: Node): ToolInput {
  const input: ToolInput = { properties: {}, required: [] };
  const body = struct.childForFieldName('body');
  for (const field of named(body)) {
    if (field.type !== 'field_declaration') continue;
    const { attrs, doc } = leading(field);
    const name = field.childForFieldName('name')?.text;
    const type = field.childForFieldName('type')?.text ?? '';
    if (!name) continue;
    const serde = attrs.find((a) => a.name === 'serde')?.args;
    if (serde?.has('skip')) continue;
    const key = typeof serde?.get('rename') === 'string' ? (serde.get('rename') as string) : name;
    const schema = rustType(type);
    const d = attrs.find((a) => a.name === 'schemars')?.args.get('description');
    if (typeof d === 'string') schema.description = d;
    else if (docText(doc)) schema.description = docText(doc);
    input.properties[key] = schema;
    if (!/^Option\s*</.test(type) && !serde?.has('default')) input.required.push(key);
  }
  return input;
}

function rustType(t: string): JsonSchema {
  const inner = /^Option\s*<\s*(.*)\s*>$/.exec(t)?.[1];
  if (inner) {
    const s = rustType(inner);
    return typeof s.type === 'string' ? { ...s, type: [s.type, 'null'] } : s;
  }
  if (/^(String|&str|str|char|PathBuf)$/.test(t)) return { type: 'string' };
  if (/^[iu](8|16|32|64|128|size)$/.test(t)) return { type: 'integer' };
  if (/^f(32|64)$/.test(t)) return { type: 'number' };
  if (t === 'bool') return { type: 'boolean' };
  const vec = /^Vec\s*<\s*(.*)\s*>$/.exec(t)?.[1];
  if (vec) return { type: 'array', items: rustType(vec) };
  if (/^(HashMap|BTreeMap|Map)\b/.test(t)) return { type: 'object' };
  return {};
}
