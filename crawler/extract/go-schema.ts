// Go input schemas: go-sdk `jsonschema.Schema` literals, and the argument struct of an `mcp.AddTool` handler
// (json tags name the properties, `omitempty` makes them optional, `jsonschema` tags describe them).
import type { Node } from 'web-tree-sitter';
import { args, callName } from './go.ts';
import type { GoCtx } from './go-values.ts';
import { descendants, named } from './project.ts';
import type { JsonSchema, ToolInput } from './types.ts';
import { isObject, toJson, type Value } from './values.ts';

/** A `jsonschema.Schema{Type, Description, Properties, Required, Enum, Items}` literal as JSON Schema. */
export function goSchema(v: Value): JsonSchema | undefined {
  if (!isObject(v)) {
    const json = toJson(v);
    return json && typeof json === 'object' ? (json as JsonSchema) : undefined;
  }
  const out: JsonSchema = {};
  for (const [k, x] of Object.entries(v)) {
    const key = k.charAt(0).toLowerCase() + k.slice(1);
    if (key === 'properties' && isObject(x)) {
      const props: Record<string, JsonSchema> = {};
      for (const [p, s] of Object.entries(x)) props[p] = goSchema(s) ?? {};
      out.properties = props;
    } else if (key === 'items') out.items = goSchema(x) ?? {};
    else {
      const json = toJson(x);
      if (json !== undefined) out[key] = json;
    }
  }
  return out;
}

/** The go-sdk infers the input schema from the handler's third parameter, a struct with json tags. */
export function handlerInput(lit: Node, c: GoCtx): ToolInput | undefined {
  let call: Node | null = lit.parent;
  while (call && call.type !== 'call_expression' && call.type !== 'source_file') call = call.parent;
  if (!call || call.type !== 'call_expression' || callName(call) !== 'AddTool') return undefined;
  const handler = args(call)[2];
  let params: Node | null | undefined;
  if (handler?.type === 'func_literal') params = handler.childForFieldName('parameters');
  else if (handler?.type === 'identifier') {
    const decl = c.pkgs.func(c.pkgs.packageOf(c.file), handler.text);
    params = decl?.node.childForFieldName('parameters');
  }
  const third = named(params).filter((p) => p.type === 'parameter_declaration')[2];
  const typeNode = third?.childForFieldName('type');
  return typeNode ? structInput(typeNode, c) : undefined;
}

function structInput(typeNode: Node, c: GoCtx): ToolInput | undefined {
  let t = typeNode;
  if (t.type === 'pointer_type') t = t.namedChild(0) ?? t;
  let struct: Node | undefined;
  if (t.type === 'struct_type') struct = t;
  else {
    const name = t.type === 'qualified_type' ? t.childForFieldName('name')?.text : t.text;
    const pkg =
      t.type === 'qualified_type'
        ? c.pkgs.resolve(c.file, t.childForFieldName('package')?.text ?? '')
        : c.pkgs.packageOf(c.file);
    const decl = name && pkg !== undefined ? c.pkgs.type(pkg, name) : undefined;
    if (decl?.node.type === 'struct_type') struct = decl.node;
  }
  if (!struct) return undefined;
  const input: ToolInput = { properties: {}, required: [] };
  for (const field of descendants(struct)) {
    if (field.type !== 'field_declaration') continue;
    const names = field.childrenForFieldName('name').filter((n): n is Node => !!n);
    const tag = field.childForFieldName('tag')?.text.slice(1, -1) ?? '';
    const type = field.childForFieldName('type');
    for (const n of names) {
      if (!/^[A-Z]/.test(n.text)) continue;
      const jsonTag = /json:"([^"]*)"/.exec(tag)?.[1];
      const [jsonName, ...flags] = (jsonTag ?? '').split(',');
      if (jsonName === '-') continue;
      const key = jsonName || n.text;
      const schema = type ? goTypeSchema(type) : {};
      const desc = /jsonschema:"([^"]*)"/.exec(tag)?.[1];
      if (desc && !desc.includes('=')) schema.description = desc;
      else if (desc && /description=/.test(desc)) schema.description = desc.replace(/^.*description=/, '');
      input.properties[key] = schema;
      if (!flags.includes('omitempty') && !flags.includes('omitzero')) input.required.push(key);
    }
  }
  return input;
}

function goTypeSchema(t: Node): JsonSchema {
  switch (t.type) {
    case 'pointer_type':
      return goTypeSchema(t.namedChild(0) ?? t);
    case 'slice_type':
    case 'array_type': {
      const el = t.childForFieldName('element');
      return { type: 'array', items: el ? goTypeSchema(el) : {} };
    }
    case 'map_type':
      return { type: 'object' };
    case 'type_identifier': {
      const n = t.text;
      if (n === 'string') return { type: 'string' };
      if (n === 'bool') return { type: 'boolean' };
      if (/^u?int(8|16|32|64)?$/.test(n) || n === 'byte' || n === 'rune') return { type: 'integer' };
      if (/^float(32|64)$/.test(n)) return { type: 'number' };
      return {};
    }
    case 'struct_type':
      return { type: 'object' };
    default:
      return {};
  }
}
