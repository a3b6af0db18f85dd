// Reading MCP tool definitions from a file or stdin, in any of the shapes `classify` accepts: a JSON
// array of tools, a `tools/list` result `{"tools": [...]}`, or JSON lines (one tool per line).
import fs from 'node:fs';
import type * as z from 'zod/v4';
import { ToolDefinitionSchema, type ToolDefinition } from '../data/model.ts';
import { UsageError } from './errors.ts';

// Lenient on what servers often omit (inputSchema), strict on what identifies a tool (name).
const InputToolSchema = ToolDefinitionSchema.extend({
  inputSchema: ToolDefinitionSchema.shape.inputSchema.optional(),
});

export async function readSource(
  file: string,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<string> {
  if (file !== '-') {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (cause) {
      throw new UsageError(
        `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`,
        {
          cause,
        },
      );
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid tool definition';
  const where = issue.path.length ? issue.path.join('.') : 'tool';
  return `${where}: ${issue.message}`;
}

function toTool(value: unknown, where: string): ToolDefinition {
  const parsed = InputToolSchema.safeParse(value);
  if (!parsed.success)
    throw new UsageError(`${where}: not an MCP tool definition (${describeIssue(parsed.error)})`);
  return { ...parsed.data, inputSchema: parsed.data.inputSchema ?? { type: 'object' } };
}

/** Parse tool definitions; `label` names the input in errors (a file name or "stdin"). */
export function parseToolDefinitions(text: string, label: string): ToolDefinition[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new UsageError(`${label} is empty: expected MCP tool definitions as JSON`);
  let whole: unknown;
  let wholeError: Error | undefined;
  try {
    whole = JSON.parse(trimmed);
  } catch (error) {
    wholeError = error as Error;
  }
  if (wholeError === undefined) {
    if (Array.isArray(whole)) return whole.map((t, i) => toTool(t, `${label}: tool ${i + 1}`));
    if (whole && typeof whole === 'object' && Array.isArray((whole as { tools?: unknown }).tools)) {
      return (whole as { tools: unknown[] }).tools.map((t, i) => toTool(t, `${label}: tools[${i}]`));
    }
    if (whole && typeof whole === 'object' && 'name' in whole) return [toTool(whole, `${label}: tool 1`)];
    throw new UsageError(
      `${label}: expected a JSON array of tools, a {"tools": [...]} object, or JSON lines`,
    );
  }
  // Not one JSON document: try JSON lines.
  const tools: ToolDefinition[] = [];
  const lines = trimmed.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      if (tools.length === 0 && i === 0)
        throw new UsageError(`${label} is not valid JSON: ${wholeError.message}`);
      throw new UsageError(`${label}: line ${i + 1} is not valid JSON: ${(error as Error).message}`);
    }
    tools.push(toTool(value, `${label}: line ${i + 1}`));
  }
  return tools;
}
