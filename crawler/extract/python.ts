// Python: FastMCP-style decorators (`@<any>.tool(...)`), `<any>.add_tool(fn, ...)`, and low-level
// servers building `types.Tool(name=…, inputSchema={…})`.
import type { Node } from 'web-tree-sitter';
import { enclosingAt, lineOf, named, type Project } from './project.ts';
import { hintToSchema, readFieldCall, type FieldMeta } from './python-types.ts';
import type { PyModules } from './python-values.ts';
import { evalPy, keywordArgs, positionalArgs, type PyModule } from './python-values.ts';
import { cleandoc } from './text.ts';
import type { JsonSchema, RawTool, SourceFile, ToolInput } from './types.ts';
import { CodeRef, Unresolved, cleanAnnotations, isObject, toJson, type Value } from './values.ts';

export function mayHoldPythonTools(text: string): boolean {
  return PY_SITES.test(text);
}

const PY_SITES = /\.tool\b|\.add_tool\b|\.from_function\b|\bTool\s*\(/;
const PY_SITE_TYPES = new Set(['decorator', 'call']);

export function extractPython(file: SourceFile, project: Project, modules: PyModules): RawTool[] {
  const mod = modules.get(file);
  const tools: RawTool[] = [];
  const seen = new Set<number>();
  for (const site of enclosingAt(mod.root, file.text, PY_SITES, PY_SITE_TYPES)) {
    const dec =
      site.type === 'decorator' ? site : site.parent?.type === 'decorator' ? site.parent : undefined;
    if (dec) {
      const def = dec.parent?.childForFieldName('definition');
      const expr = dec.namedChild(0);
      const call = expr ? toolDecoratorCall(expr) : undefined;
      if (def?.type !== 'function_definition' || call === undefined || seen.has(dec.id)) continue;
      seen.add(dec.id);
      const tool = fromFunction(def, call ?? undefined, mod, project, dec);
      if (tool) tools.push(tool);
      continue;
    }
    // `x.tool(...)(handler)`: the site is the inner call, applied by the outer one.
    const outer = site.parent?.type === 'call' && site.parent.childForFieldName('function')?.id === site.id;
    const tool = fromCall(outer ? (site.parent as Node) : site, mod, project);
    if (tool) tools.push(tool);
  }
  return tools;
}

/** `@x.tool` → null (no arguments); `@x.tool(...)` → the call; anything else → undefined. */
function toolDecoratorCall(expr: Node): Node | null | undefined {
  if (expr.type === 'attribute' && expr.childForFieldName('attribute')?.text === 'tool') return null;
  if (expr.type === 'call') {
    const fn = expr.childForFieldName('function');
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'tool') return expr;
  }
  return undefined;
}

function fromCall(node: Node, mod: PyModule, project: Project): RawTool | undefined {
  const fn = node.childForFieldName('function');
  if (!fn) return undefined;
  // `x.tool(...)(handler)` — the decorator applied by hand.
  if (fn.type === 'call' && toolDecoratorCall(fn) !== undefined) {
    const target = functionOf(positionalArgs(node)[0], mod);
    return target ? fromFunction(target, fn, mod, project, node) : undefined;
  }
  const method = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn.text;
  if (method === 'add_tool' || method === 'from_function') {
    const target = functionOf(positionalArgs(node)[0], mod);
    return target ? fromFunction(target, node, mod, project, node, 1) : undefined;
  }
  if (method === 'Tool' && keywordArgs(node).has('name')) return lowLevelTool(node, mod, project);
  return undefined;
}

function functionOf(arg: Node | undefined, mod: PyModule): Node | undefined {
  if (!arg) return undefined;
  const v = evalPy(arg, mod);
  return v instanceof CodeRef ? (v.node as Node) : undefined;
}

function fromFunction(
  def: Node,
  call: Node | undefined,
  mod: PyModule,
  project: Project,
  at: Node,
  skipPositional = 0,
): RawTool | undefined {
  const kw = call ? keywordArgs(call) : new Map<string, Node>();
  const positional = call ? positionalArgs(call).slice(skipPositional) : [];
  const unresolved: string[] = [];
  const fnName = def.childForFieldName('name')?.text ?? '';
  let name = fnName;
  const nameNode = kw.get('name') ?? (positional[0]?.type === 'string' ? positional[0] : undefined);
  if (nameNode && nameNode.type !== 'none') {
    const v = evalPy(nameNode, mod);
    if (typeof v !== 'string') {
      project.note(
        mod.file,
        nameNode,
        'warn',
        `tool name is built at run time (${short(nameNode.text)}); not guessed`,
      );
      return undefined;
    }
    name = v;
  }
  let description: string | undefined;
  const descNode = kw.get('description');
  if (descNode && descNode.type !== 'none') {
    const v = evalPy(descNode, mod);
    if (typeof v === 'string') description = v;
    else unresolved.push('description');
  } else {
    const doc = docstring(def, mod);
    if (doc instanceof Unresolved) unresolved.push('description');
    else if (doc !== undefined) description = cleandoc(doc);
  }
  const tool: RawTool = {
    name,
    description,
    inputSchema: parameters(def, mod, unresolved),
    source: { path: mod.file.path, line: lineOf(at) },
    unresolved,
  };
  const titleNode = kw.get('title');
  if (titleNode) {
    const v = evalPy(titleNode, mod);
    if (typeof v === 'string') tool.title = v;
    else if (titleNode.type !== 'none') unresolved.push('title');
  }
  const annNode = kw.get('annotations');
  if (annNode && annNode.type !== 'none') {
    const ann = cleanAnnotations(evalPy(annNode, mod));
    if (ann) tool.annotations = ann;
    else unresolved.push('annotations');
  }
  return tool;
}

function docstring(def: Node, mod: PyModule): string | Unresolved | undefined {
  const body = def.childForFieldName('body');
  const first = body?.namedChild(0);
  if (first?.type !== 'expression_statement') return undefined;
  const expr = first.namedChild(0);
  if (expr?.type !== 'string' && expr?.type !== 'concatenated_string') return undefined;
  if (expr.type === 'string' && /^[a-zA-Z]*[fF]/.test(expr.text)) return undefined; // f-strings are not docstrings
  const v = evalPy(expr, mod);
  return typeof v === 'string' ? v : new Unresolved('docstring');
}

function isContextHint(hint: Node | null): boolean {
  if (!hint) return false;
  return /(^|\.|\[|\s)Context\b/.test(hint.text) && !/\bstr\b/.test(hint.text);
}

function parameters(def: Node, mod: PyModule, unresolved: string[]): ToolInput {
  const out: ToolInput = { properties: {}, required: [] };
  const params = named(def.childForFieldName('parameters'));
  params.forEach((p, index) => {
    let nameNode: Node | null = null;
    let hint: Node | null = null;
    let dflt: Node | null = null;
    if (p.type === 'identifier') nameNode = p;
    else if (p.type === 'typed_parameter') {
      nameNode = p.namedChild(0);
      hint = p.childForFieldName('type');
    } else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
      nameNode = p.childForFieldName('name');
      hint = p.childForFieldName('type');
      dflt = p.childForFieldName('value');
    }
    if (nameNode?.type !== 'identifier') return; // *args, **kwargs, separators
    const name = nameNode.text;
    if (index === 0 && (name === 'self' || name === 'cls')) return;
    if (isContextHint(hint)) return;
    const meta: FieldMeta = { hasDefault: false, extra: {} };
    let schema: JsonSchema = hint ? hintToSchema(hint, mod, meta) : {};
    if (dflt && !readFieldCall(dflt, mod, meta)) {
      meta.hasDefault = true;
      const v = toJson(evalPy(dflt, mod));
      if (v !== undefined) meta.default = v;
      else unresolved.push(`inputSchema.properties.${name}.default`);
    }
    schema = { ...schema, ...meta.extra };
    if (meta.description !== undefined) schema.description = meta.description;
    if (meta.hasDefault && meta.default !== undefined) schema.default = meta.default;
    out.properties[name] = schema;
    if (!meta.hasDefault || meta.required) out.required.push(name);
  });
  return out;
}

function lowLevelTool(call: Node, mod: PyModule, project: Project): RawTool | undefined {
  const kw = keywordArgs(call);
  const nameNode = kw.get('name') as Node;
  const name = evalPy(nameNode, mod);
  if (typeof name !== 'string') {
    project.note(
      mod.file,
      nameNode,
      'warn',
      `tool name is built at run time (${short(nameNode.text)}); not guessed`,
    );
    return undefined;
  }
  const unresolved: string[] = [];
  const tool: RawTool = {
    name,
    inputSchema: { properties: {}, required: [] },
    source: { path: mod.file.path, line: lineOf(call) },
    unresolved,
  };
  const str = (key: string, field: 'description' | 'title') => {
    const node = kw.get(key);
    if (!node || node.type === 'none') return;
    const v = evalPy(node, mod);
    if (typeof v === 'string') tool[field] = v;
    else unresolved.push(field);
  };
  str('description', 'description');
  str('title', 'title');
  const schemaNode = kw.get('inputSchema') ?? kw.get('input_schema');
  if (schemaNode) {
    const schema = evalPy(schemaNode, mod);
    const json = toJson(schema);
    if (isObject(schema) && json && typeof json === 'object') {
      const j = json as { properties?: Record<string, JsonSchema>; required?: string[] };
      tool.inputSchema = { properties: j.properties ?? {}, required: j.required ?? [] };
    } else unresolved.push('inputSchema');
  }
  const annNode = kw.get('annotations');
  if (annNode && annNode.type !== 'none') {
    const ann = cleanAnnotations(evalPy(annNode, mod) as Value);
    if (ann) tool.annotations = ann;
    else unresolved.push('annotations');
  }
  return tool;
}

export function short(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 80 ? `${one.slice(0, 77)}...` : one;
}
