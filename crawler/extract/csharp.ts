// C#: the official SDK's `[McpServerTool(Name = …, ReadOnly = …)]` methods with `[Description("…")]` on the
// method and its parameters. Default names follow the SDK: method name without "Async", snake_case.
import type { Node } from 'web-tree-sitter';
import { descendants, enclosingAt, lineOf, named, type Project } from './project.ts';

const METHODS = new Set(['method_declaration', 'local_function_statement']);
const FIELDS = new Set(['field_declaration']);
import { unescape } from './text.ts';
import type { JsonSchema, RawTool, SourceFile } from './types.ts';
import { Unresolved, type Value } from './values.ts';

export function mayHoldCsharpTools(text: string): boolean {
  return text.includes('McpServerTool');
}

/** `const`/`static readonly` string fields of every C# file of a server, by name. */
export class CsharpConsts {
  private map?: Map<string, { node: Node; file: SourceFile }>;
  constructor(readonly project: Project) {}

  get(name: string): { node: Node; file: SourceFile } | undefined {
    if (!this.map) {
      this.map = new Map();
      for (const file of this.project.files) {
        if (file.language !== 'csharp' || !/\b(const|readonly)\b/.test(file.text)) continue;
        const root = this.project.tree(file).rootNode;
        const fields = enclosingAt(root, file.text, /\b(?:const|readonly)\b/, FIELDS);
        for (const n of fields.flatMap((f) => [...descendants(f)])) {
          if (n.type !== 'variable_declarator') continue;
          const decl = n.parent?.parent;
          if (
            decl?.type !== 'field_declaration' ||
            !/\b(const|readonly)\b/.test(decl.text.split('=')[0] ?? '')
          )
            continue;
          const id = n.childForFieldName('name')?.text;
          const value = named(n).find((c) => c.type !== 'identifier' && c.type !== 'bracketed_argument_list');
          if (id && value && !this.map.has(id)) this.map.set(id, { node: value, file });
        }
      }
    }
    return this.map.get(name);
  }
}

function evalCs(node: Node | null | undefined, consts: CsharpConsts, depth = 0): Value {
  if (!node || depth > 20) return new Unresolved('missing');
  switch (node.type) {
    case 'string_literal':
      return named(node)
        .map((p) => (p.type === 'escape_sequence' ? unescape(p.text, 'csharp') : p.text))
        .join('');
    case 'verbatim_string_literal':
      return node.text.slice(2, -1).replace(/""/g, '"');
    case 'raw_string_literal': {
      const content = named(node).find((c) => c.type === 'raw_string_content')?.text ?? '';
      if (!content.includes('\n')) return content;
      // Multi-line raw strings drop the first and last line breaks and the closing line's indentation.
      const lines = content.replace(/^\r?\n/, '').split('\n');
      const last = lines.pop() ?? '';
      const indent = /^\s*$/.test(last) ? last.length : 0;
      return lines.map((l) => l.slice(Math.min(indent, /^\s*/.exec(l)?.[0].length ?? 0))).join('\n');
    }
    case 'interpolated_string_expression': {
      let out = '';
      for (const part of named(node)) {
        if (part.type === 'string_content') out += part.text;
        else if (part.type === 'escape_sequence') out += unescape(part.text, 'csharp');
        else if (part.type === 'interpolation') {
          const v = evalCs(
            named(part).find((c) => c.type !== 'interpolation_brace'),
            consts,
            depth + 1,
          );
          if (typeof v !== 'string' && typeof v !== 'number') return new Unresolved(node.text);
          out += String(v);
        }
      }
      return out;
    }
    case 'binary_expression': {
      const l = evalCs(node.childForFieldName('left'), consts, depth + 1);
      const r = evalCs(node.childForFieldName('right'), consts, depth + 1);
      return typeof l === 'string' && typeof r === 'string' ? l + r : new Unresolved(node.text);
    }
    case 'parenthesized_expression':
      return evalCs(node.namedChild(0), consts, depth + 1);
    case 'boolean_literal':
      return node.text === 'true';
    case 'integer_literal':
    case 'real_literal':
      return Number(node.text.replace(/[_fFdDmMlLuU]/g, ''));
    case 'identifier':
    case 'member_access_expression': {
      const name = node.type === 'identifier' ? node.text : (node.childForFieldName('name')?.text ?? '');
      const c = consts.get(name);
      return c ? evalCs(c.node, consts, depth + 1) : new Unresolved(node.text);
    }
    case 'invocation_expression': {
      // nameof(Foo) and nameof(Bar.Foo) are the last identifier.
      const fn = node.childForFieldName('function')?.text;
      const arg = node.childForFieldName('arguments')?.namedChild(0);
      if (fn === 'nameof' && arg) return arg.text.split('.').pop() ?? arg.text;
      return new Unresolved(node.text);
    }
    default:
      return new Unresolved(node.text);
  }
}

/** Attribute arguments: positional values and `Name = value` pairs. */
function attributeArgs(attr: Node): { positional: Node[]; named: Map<string, Node> } {
  const out = { positional: [] as Node[], named: new Map<string, Node>() };
  for (const arg of named(named(attr).find((c) => c.type === 'attribute_argument_list'))) {
    const inner = arg.namedChild(0);
    if (!inner) continue;
    if (inner.type === 'assignment_expression') {
      const key = inner.childForFieldName('left')?.text;
      const value = inner.childForFieldName('right');
      if (key && value) out.named.set(key, value);
    } else if (arg.namedChildCount === 2 && arg.namedChild(0)?.type === 'identifier') {
      // `Name: value` argument syntax
      out.named.set(arg.namedChild(0)?.text ?? '', arg.namedChild(1) as Node);
    } else out.positional.push(inner);
  }
  return out;
}

function attributes(node: Node): Node[] {
  return named(node)
    .filter((c) => c.type === 'attribute_list')
    .flatMap((l) => named(l).filter((a) => a.type === 'attribute'));
}

function attrName(attr: Node): string {
  return (attr.childForFieldName('name')?.text ?? '').replace(/^.*\./, '').replace(/Attribute$/, '');
}

export function extractCsharp(file: SourceFile, project: Project, consts: CsharpConsts): RawTool[] {
  const tools: RawTool[] = [];
  const root = project.tree(file).rootNode;
  for (const node of enclosingAt(root, file.text, /\bMcpServerTool(?:Attribute)?\b/, METHODS)) {
    const attrs = attributes(node);
    const toolAttr = attrs.find((a) => attrName(a) === 'McpServerTool');
    if (!toolAttr) continue;
    const method = node.childForFieldName('name')?.text ?? '';
    const args = attributeArgs(toolAttr);
    const unresolved: string[] = [];
    let name = deriveName(method, node);
    const nameNode = args.named.get('Name');
    if (nameNode) {
      const v = evalCs(nameNode, consts);
      if (typeof v !== 'string') {
        project.note(
          file,
          nameNode,
          'warn',
          `tool name is built at run time (${nameNode.text}); not guessed`,
        );
        continue;
      }
      name = v;
    }
    const tool: RawTool = {
      name,
      inputSchema: { properties: {}, required: [] },
      source: { path: file.path, line: lineOf(node) },
      unresolved,
    };
    const desc = describe(attrs, consts);
    if (desc instanceof Unresolved) unresolved.push('description');
    else if (desc !== undefined) tool.description = desc;
    const annotations: Record<string, unknown> = {};
    for (const [key, hint] of [
      ['ReadOnly', 'readOnlyHint'],
      ['Destructive', 'destructiveHint'],
      ['Idempotent', 'idempotentHint'],
      ['OpenWorld', 'openWorldHint'],
    ] as const) {
      const n = args.named.get(key);
      if (n) annotations[hint] = evalCs(n, consts);
    }
    const titleNode = args.named.get('Title');
    if (titleNode) {
      const t = evalCs(titleNode, consts);
      if (typeof t === 'string') {
        tool.title = t;
        annotations.title = t;
      }
    }
    if (Object.keys(annotations).length > 0) tool.annotations = annotations;
    for (const p of named(node.childForFieldName('parameters'))) {
      if (p.type !== 'parameter') continue;
      const pname = p.childForFieldName('name')?.text;
      const type = p.childForFieldName('type');
      if (!pname || !type || isInjected(type.text)) continue;
      const schema = csType(type);
      const pdesc = describe(attributes(p), consts);
      if (typeof pdesc === 'string') schema.description = pdesc;
      const kids = p.children.filter((c): c is Node => c !== null);
      const eq = kids.findIndex((c) => c.type === '=');
      const dflt = eq >= 0 ? kids[eq + 1] : named(p).find((c) => c.type === 'equals_value_clause');
      if (dflt) {
        const v = evalCs(dflt, consts);
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') schema.default = v;
      } else tool.inputSchema.required.push(pname);
      tool.inputSchema.properties[pname] = schema;
    }
    tools.push(tool);
  }
  return tools;
}

function describe(attrs: Node[], consts: CsharpConsts): string | Unresolved | undefined {
  const d = attrs.find((a) => attrName(a) === 'Description');
  if (!d) return undefined;
  const v = evalCs(attributeArgs(d).positional[0], consts);
  return typeof v === 'string' ? v : new Unresolved('description');
}

/** Parameters the SDK fills itself (request context, DI services) are not part of the input schema. */
function isInjected(type: string): boolean {
  const base = type.replace(/\?$/, '').replace(/<.*$/, '').replace(/^.*\./, '');
  return (
    /^I[A-Z]/.test(base) ||
    [
      'CancellationToken',
      'McpServer',
      'RequestContext',
      'HttpClient',
      'ClaimsPrincipal',
      'IServiceProvider',
    ].includes(base)
  );
}

function csType(type: Node): JsonSchema {
  if (type.type === 'nullable_type') return csType(type.childForFieldName('type') ?? type);
  if (type.type === 'array_type')
    return { type: 'array', items: csType(type.childForFieldName('type') ?? type) };
  const text = type.text.replace(/^System\./, '');
  if (/^(string|char|Guid|DateTime|DateTimeOffset|Uri|TimeSpan)$/.test(text)) return { type: 'string' };
  if (/^(int|long|short|byte|uint|ulong|ushort|sbyte|Int32|Int64)$/.test(text)) return { type: 'integer' };
  if (/^(double|float|decimal|Double|Single|Decimal)$/.test(text)) return { type: 'number' };
  if (/^(bool|Boolean)$/.test(text)) return { type: 'boolean' };
  if (/^(List|IList|IEnumerable|IReadOnlyList|ICollection|HashSet)</.test(text)) return { type: 'array' };
  if (/^(Dictionary|IDictionary|IReadOnlyDictionary|JsonObject)\b/.test(text)) return { type: 'object' };
  return {};
}

/** The SDK's default tool name: "Async" suffix dropped (async methods), then .NET's snake_case_lower. */
function deriveName(method: string, node: Node): string {
  let name = method;
  const returns = node.childForFieldName('returns')?.text ?? node.childForFieldName('type')?.text ?? '';
  if (/^(Task|ValueTask)\b/.test(returns) && name.endsWith('Async') && name.length > 5)
    name = name.slice(0, -5);
  name = name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || method;
  return snakeCaseLower(name);
}

/** .NET JsonNamingPolicy.SnakeCaseLower. */
export function snakeCaseLower(name: string): string {
  let out = '';
  const isUpper = (ch: string | undefined) => !!ch && ch >= 'A' && ch <= 'Z';
  const isLower = (ch: string | undefined) => !!ch && ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'));
  for (let i = 0; i < name.length; i++) {
    const ch = name[i] as string;
    if (ch === '_') {
      if (out && !out.endsWith('_')) out += '_';
      continue;
    }
    if (
      isUpper(ch) &&
      out &&
      !out.endsWith('_') &&
      (isLower(name[i - 1]) || (isUpper(name[i - 1]) && isLower(name[i + 1])))
    )
      out += '_';
    out += ch.toLowerCase();
  }
  return out;
}
