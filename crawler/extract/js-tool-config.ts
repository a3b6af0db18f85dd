// Reading a tool's configuration object (registerTool config, addTool/defineTool definitions, tool
// classes): description, title, input and output schemas, annotations.
import type { RawTool, ToolInput } from './types.ts';
import {
  CodeRef,
  SchemaValue,
  cleanAnnotations,
  isObject,
  toJson,
  type Value,
  type ValueObject,
} from './values.ts';
import { shapeToInput } from './zod.ts';

export function isZodShape(v: Value): v is ValueObject {
  return (
    isObject(v) && (Object.keys(v).length === 0 || Object.values(v).some((x) => x instanceof SchemaValue))
  );
}

export function readConfig(tool: RawTool, config: ValueObject): void {
  if ('description' in config) {
    const d = config.description as Value;
    if (typeof d === 'string') tool.description = d;
    else tool.unresolved.push('description');
  }
  if ('title' in config) {
    const t = config.title as Value;
    if (typeof t === 'string') tool.title = t;
    else tool.unresolved.push('title');
  }
  const input =
    config.inputSchema ?? config.input_schema ?? config.parameters ?? config.schema ?? config.argsShape;
  if (input !== undefined) applyInput(tool, input);
  if (config.outputSchema !== undefined) {
    const out = config.outputSchema;
    const schema =
      out instanceof SchemaValue
        ? out.schema
        : isZodShape(out)
          ? { type: 'object', ...shapeToInput(out) }
          : toJson(out);
    if (schema && typeof schema === 'object') tool.outputSchema = schema as Record<string, unknown>;
    else tool.unresolved.push('outputSchema');
  }
  if (config.annotations !== undefined) applyAnnotations(tool, config.annotations);
}

export function applyInput(tool: RawTool, v: Value): void {
  let input: ToolInput | undefined;
  if (v instanceof SchemaValue)
    input = {
      properties: (v.schema.properties ?? {}) as ToolInput['properties'],
      required: (v.schema.required as string[]) ?? [],
    };
  else if (isZodShape(v) && Object.values(v).some((x) => x instanceof SchemaValue)) input = shapeToInput(v);
  else if (
    isObject(v) &&
    Object.keys(v).length > 0 &&
    Object.values(v).every((x) => isObject(x) && x.type instanceof SchemaValue)
  ) {
    // mcp-framework: { param: { type: z.string(), description: '…' } }
    const shape: ValueObject = {};
    for (const [k, x] of Object.entries(v)) {
      const f = x as ValueObject;
      const t = f.type as SchemaValue;
      shape[k] = new SchemaValue(
        { ...t.schema, ...(typeof f.description === 'string' ? { description: f.description } : {}) },
        t.optional,
      );
    }
    input = shapeToInput(shape);
  } else if (isObject(v)) {
    const json = toJson(v) as { properties?: ToolInput['properties']; required?: string[] } | undefined;
    if (json) input = { properties: json.properties ?? {}, required: json.required ?? [] };
    else if (isObject(v.properties)) {
      // A JSON schema with some unresolved parts: keep what is known.
      const properties: ToolInput['properties'] = {};
      for (const [k, p] of Object.entries(v.properties))
        properties[k] = (toJson(p) as Record<string, unknown>) ?? {};
      const req = toJson(v.required);
      input = { properties, required: Array.isArray(req) ? (req as string[]) : [] };
      tool.unresolved.push('inputSchema');
    }
  }
  if (input) tool.inputSchema = input;
  else if (!(v instanceof CodeRef)) tool.unresolved.push('inputSchema');
}

export function applyAnnotations(tool: RawTool, v: Value): void {
  const ann = cleanAnnotations(v);
  if (ann) tool.annotations = ann;
  else if (!isObject(v)) tool.unresolved.push('annotations');
}
