// Java: Spring AI `@Tool(name = …, description = …)` / Quarkus `@Tool` methods with `@ToolParam` /
// `@ToolArg` parameters, and MCP Java SDK tool specifications (`McpSchema.Tool.builder().name(…)…`,
// `new McpSchema.Tool("name", "description", schema)`).
import type { Node } from 'web-tree-sitter';
import { enclosingAt, lineOf, named, type Project } from './project.ts';

const METHOD = new Set(['method_declaration']);
const INVOCATION = new Set(['method_invocation']);
const CREATION = new Set(['object_creation_expression']);
const FIELD = new Set(['field_declaration']);

/** From `Tool.builder()` up the fluent chain to its `.build()` call, if any. */
function outermostBuild(n: Node): Node {
  let cur = n;
  while (cur.parent?.type === 'method_invocation' && cur.parent.childForFieldName('object')?.id === cur.id)
    cur = cur.parent;
  return cur;
}
import { unescape } from './text.ts';
import type { JsonSchema, RawTool, SourceFile } from './types.ts';
import { Unresolved, type Value } from './values.ts';

export function mayHoldJavaTools(text: string): boolean {
  return text.includes('@Tool') || /\bTool\s*\(|Tool\.builder\(/.test(text);
}

/** `static final String` constants of every Java file of a server, by name. */
export class JavaConsts {
  private map?: Map<string, Node>;
  constructor(readonly project: Project) {}
  get(name: string): Node | undefined {
    if (!this.map) {
      this.map = new Map();
      for (const file of this.project.files) {
        if (file.language !== 'java' || !file.text.includes('final')) continue;
        const root = this.project.tree(file).rootNode;
        const fields = enclosingAt(root, file.text, /\bfinal\b/, FIELD);
        for (const n of fields.flatMap((f) => named(f))) {
          if (n.type !== 'variable_declarator') continue;
          const id = n.childForFieldName('name')?.text;
          const value = n.childForFieldName('value');
          if (id && value && !this.map.has(id)) this.map.set(id, value);
        }
      }
    }
    return this.map.get(name);
  }
}

function evalJava(node: Node | null | undefined, consts: JavaConsts, depth = 0): Value {
  if (!node || depth > 20) return new Unresolved('missing');
  switch (node.type) {
    case 'string_literal': {
      const fragments = named(node).map((p) =>
        p.type === 'escape_sequence' ? unescape(p.text, 'java') : p.text,
      );
      if (!node.text.startsWith('"""')) return fragments.join('');
      // Text blocks: incidental indentation removed, trailing spaces stripped.
      const body = node.text.slice(3, -3).replace(/^[ \t]*\r?\n/, '');
      const lines = body.split('\n');
      const margin = Math.min(
        ...lines
          .filter((l, i) => l.trim() || i === lines.length - 1)
          .map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0),
      );
      return unescape(lines.map((l) => l.slice(margin).replace(/[ \t]+$/, '')).join('\n'), 'java');
    }
    case 'binary_expression': {
      const l = evalJava(node.childForFieldName('left'), consts, depth + 1);
      const r = evalJava(node.childForFieldName('right'), consts, depth + 1);
      if (typeof l === 'string' && (typeof r === 'string' || typeof r === 'number')) return l + String(r);
      if (typeof l === 'number' && typeof r === 'string') return String(l) + r;
      return new Unresolved(node.text);
    }
    case 'parenthesized_expression':
      return evalJava(node.namedChild(0), consts, depth + 1);
    case 'true':
      return true;
    case 'false':
      return false;
    case 'decimal_integer_literal':
    case 'decimal_floating_point_literal':
      return Number(node.text.replace(/[_lLfFdD]/g, ''));
    case 'identifier':
    case 'field_access': {
      const name = node.type === 'identifier' ? node.text : (node.childForFieldName('field')?.text ?? '');
      const v = consts.get(name);
      return v ? evalJava(v, consts, depth + 1) : new Unresolved(node.text);
    }
    default:
      return new Unresolved(node.text);
  }
}

function annotations(
  mods: Node | null | undefined,
): { name: string; args: Map<string, Node>; value?: Node }[] {
  return named(mods)
    .filter((a) => a.type === 'annotation' || a.type === 'marker_annotation')
    .map((a) => {
      const args = new Map<string, Node>();
      let value: Node | undefined;
      for (const arg of named(a.childForFieldName('arguments'))) {
        if (arg.type === 'element_value_pair') {
          const k = arg.childForFieldName('key')?.text;
          const v = arg.childForFieldName('value');
          if (k && v) args.set(k, v);
        } else value = arg;
      }
      return { name: (a.childForFieldName('name')?.text ?? '').replace(/^.*\./, ''), args, value };
    });
}

export function extractJava(file: SourceFile, project: Project, consts: JavaConsts): RawTool[] {
  const tools: RawTool[] = [];
  const root = project.tree(file).rootNode;
  const sites = [
    ...enclosingAt(root, file.text, /@(?:Tool|McpTool)\b/, METHOD),
    ...enclosingAt(root, file.text, /\bTool\.builder\s*\(/, INVOCATION).map(outermostBuild),
    ...enclosingAt(root, file.text, /\bnew\s+(?:McpSchema\.)?Tool\s*\(/, CREATION),
  ].sort((a, b) => a.startIndex - b.startIndex);
  for (const node of sites) {
    if (node.type === 'method_declaration') {
      const mods = named(node).find((c) => c.type === 'modifiers');
      const toolAnn = annotations(mods).find((a) => a.name === 'Tool' || a.name === 'McpTool');
      if (!toolAnn) continue;
      const tool = fromMethod(node, toolAnn, file, project, consts);
      if (tool) tools.push(tool);
    } else if (node.type === 'method_invocation' && node.childForFieldName('name')?.text === 'build') {
      const tool = fromBuilder(node, file, consts);
      if (tool) tools.push(tool);
    } else if (node.type === 'object_creation_expression') {
      const type = node.childForFieldName('type')?.text ?? '';
      if (type !== 'Tool' && type !== 'McpSchema.Tool') continue;
      const args = named(node.childForFieldName('arguments'));
      const name = evalJava(args[0], consts);
      if (typeof name !== 'string') continue;
      const tool = newTool(name, file, node);
      // (name, description, schema) and (name, title, description, schema, …) constructors.
      const descIndex = args.length >= 5 ? 2 : 1;
      const d = evalJava(args[descIndex], consts);
      if (typeof d === 'string') tool.description = d;
      readSchema(tool, args[args.length >= 5 ? 3 : 2], consts);
      tools.push(tool);
    }
  }
  return tools;
}

function newTool(name: string, file: SourceFile, at: Node): RawTool {
  return {
    name,
    inputSchema: { properties: {}, required: [] },
    source: { path: file.path, line: lineOf(at) },
    unresolved: [],
  };
}

function fromMethod(
  node: Node,
  ann: { args: Map<string, Node>; value?: Node },
  file: SourceFile,
  project: Project,
  consts: JavaConsts,
): RawTool | undefined {
  let name = node.childForFieldName('name')?.text ?? '';
  const nameNode = ann.args.get('name');
  if (nameNode) {
    const v = evalJava(nameNode, consts);
    if (typeof v !== 'string') {
      project.note(file, nameNode, 'warn', `tool name is built at run time (${nameNode.text}); not guessed`);
      return undefined;
    }
    if (v) name = v;
  }
  const tool = newTool(name, file, node);
  const descNode = ann.args.get('description') ?? ann.value;
  if (descNode) {
    const d = evalJava(descNode, consts);
    if (typeof d === 'string') tool.description = d;
    else tool.unresolved.push('description');
  }
  for (const p of named(node.childForFieldName('parameters'))) {
    if (p.type !== 'formal_parameter') continue;
    const pname = p.childForFieldName('name')?.text;
    const type = p.childForFieldName('type')?.text ?? '';
    if (
      !pname ||
      /^(ToolContext|McpSyncServerExchange|McpAsyncServerExchange|McpSyncRequestContext)$/.test(type)
    )
      continue;
    const pann = annotations(named(p).find((c) => c.type === 'modifiers'));
    const param = pann.find(
      (a) => a.name === 'ToolParam' || a.name === 'ToolArg' || a.name === 'McpToolParam',
    );
    const schema = javaType(type);
    const d = param ? evalJava(param.args.get('description') ?? param.value, consts) : undefined;
    if (typeof d === 'string') schema.description = d;
    const req = param?.args.get('required');
    const optional =
      req?.type === 'false' || pann.some((a) => a.name === 'Nullable') || /^Optional</.test(type);
    tool.inputSchema.properties[pname] = schema;
    if (!optional) tool.inputSchema.required.push(pname);
  }
  return tool;
}

function fromBuilder(build: Node, file: SourceFile, consts: JavaConsts): RawTool | undefined {
  const calls = new Map<string, Node[]>();
  let n: Node | null = build.childForFieldName('object');
  let root = '';
  while (n?.type === 'method_invocation') {
    const m = n.childForFieldName('name')?.text ?? '';
    calls.set(m, named(n.childForFieldName('arguments')));
    root = n.childForFieldName('object')?.text ?? '';
    n = n.childForFieldName('object');
  }
  if (!calls.has('builder') || !/(^|\.)Tool$/.test(root)) return undefined;
  const name = evalJava(calls.get('name')?.[0], consts);
  if (typeof name !== 'string') return undefined;
  const tool = newTool(name, file, build);
  const d = evalJava(calls.get('description')?.[0], consts);
  if (typeof d === 'string') tool.description = d;
  const t = evalJava(calls.get('title')?.[0], consts);
  if (typeof t === 'string') tool.title = t;
  readSchema(tool, calls.get('inputSchema')?.[0], consts);
  return tool;
}

function readSchema(tool: RawTool, node: Node | undefined, consts: JavaConsts): void {
  const text = node ? evalJava(node, consts) : undefined;
  if (typeof text !== 'string') {
    if (node) tool.unresolved.push('inputSchema');
    return;
  }
  try {
    const json = JSON.parse(text) as { properties?: Record<string, JsonSchema>; required?: string[] };
    tool.inputSchema = { properties: json.properties ?? {}, required: json.required ?? [] };
  } catch {
    tool.unresolved.push('inputSchema');
  }
}

function javaType(t: string): JsonSchema {
  const base = t.replace(/^Optional<(.*)>$/, '$1');
  if (/^(String|char|Character|UUID|LocalDate|LocalDateTime|Instant)$/.test(base)) return { type: 'string' };
  if (/^(int|Integer|long|Long|short|Short|byte|Byte|BigInteger)$/.test(base)) return { type: 'integer' };
  if (/^(double|Double|float|Float|BigDecimal)$/.test(base)) return { type: 'number' };
  if (/^(boolean|Boolean)$/.test(base)) return { type: 'boolean' };
  if (/(\[\]$|^(List|Set|Collection)<)/.test(base)) return { type: 'array' };
  if (/^Map</.test(base)) return { type: 'object' };
  return {};
}
