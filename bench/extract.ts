// Extraction throughput: files/s and MB/s on one core (extraction is single-threaded) over a generated
// corpus of MCP servers in several languages, then over one whole large repository.
// Usage: npm run bench:extract [-- <large repo dir>]   (or EXTRACT_BENCH_REPO=<dir>)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { extractFromDirectory, type ExtractResult } from '../crawler/extract/index.ts';

const SERVERS = 60;
const FILES_PER_SERVER = 50;

function pyTool(s: number, f: number, t: number): string {
  return `
@mcp.tool(annotations=ToolAnnotations(readOnlyHint=${t % 2 === 0 ? 'True' : 'False'}))
def tool_${s}_${f}_${t}(item_id: int, label: Annotated[str, Field(description="Label ${t}")] = "x", ctx: Context = None) -> str:
    """
    Do thing ${t} of file ${f}.

    Parameters:
    - item_id: which item
    """
    total = 0
    for i in range(item_id):
        total += i * ${t}
    return f"{label}: {total}"
`;
}

function tsTool(s: number, f: number, t: number): string {
  return `
server.registerTool(
  \`tool_${s}_${f}_\${PREFIX}${t}\`,
  {
    description: 'Do thing ${t} of file ${f}. ' + NOTE,
    inputSchema: { id: z.string().describe('Item id'), limit: z.number().int().optional(), tags: z.array(z.string()) },
    annotations: { readOnlyHint: ${t % 2 === 0} },
  },
  async ({ id, limit }) => {
    const rows = await fetchRows(id, limit ?? 10);
    return { content: rows.map((r) => ({ type: 'text', text: String(r) })) };
  },
);
`;
}

function goTool(s: number, f: number, t: number): string {
  return `
func register${t}(s *server.MCPServer) {
	s.AddTool(mcp.NewTool("tool_${s}_${f}_${t}",
		mcp.WithDescription("Do thing ${t} of file ${f}."),
		mcp.WithString("id", mcp.Required(), mcp.Description("Item id")),
		mcp.WithNumber("limit", mcp.DefaultNumber(10)),
		mcp.WithReadOnlyHintAnnotation(${t % 2 === 0}),
	), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText(fmt.Sprintf("%d", ${t})), nil
	})
}
`;
}

/** Helper code without tools: most files of a real server look like this. */
function filler(lang: string, n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    if (lang === 'py')
      lines.push(`def helper_${i}(a, b):\n    return [x * ${i} for x in range(a) if x % (b or 1)]\n`);
    else if (lang === 'ts')
      lines.push(
        `export function helper${i}(a: number, b: number): number[] {\n  return Array.from({ length: a }, (_, x) => x * ${i}).filter((x) => x % (b || 1));\n}\n`,
      );
    else
      lines.push(
        `func helper${i}(a, b int) []int {\n\tout := []int{}\n\tfor x := 0; x < a; x++ { out = append(out, x*${i}) }\n\treturn out\n}\n`,
      );
  }
  return lines.join('\n');
}

function generate(dir: string): void {
  for (let s = 0; s < SERVERS; s++) {
    const lang = ['py', 'ts', 'go'][s % 3] as string;
    const root = path.join(dir, `server-${s}`);
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    if (lang === 'py')
      fs.writeFileSync(path.join(root, 'pyproject.toml'), `[project]\nname = "bench-${s}"\n`);
    if (lang === 'ts')
      fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: `bench-${s}` }));
    if (lang === 'go') fs.writeFileSync(path.join(root, 'go.mod'), `module example.com/bench${s}\n`);
    for (let f = 0; f < FILES_PER_SERVER; f++) {
      const withTools = f % 4 === 0;
      let text: string;
      if (lang === 'py') {
        text =
          'from mcp.server.fastmcp import FastMCP, Context\nfrom typing import Annotated\nfrom pydantic import Field\nfrom mcp.types import ToolAnnotations\n\nmcp = FastMCP("b")\n';
        if (withTools) for (let t = 0; t < 8; t++) text += pyTool(s, f, t);
        text += filler('py', 60);
      } else if (lang === 'ts') {
        text = "import { z } from 'zod';\nconst PREFIX = 'p';\nconst NOTE = 'Read only.';\n";
        if (withTools) for (let t = 0; t < 8; t++) text += tsTool(s, f, t);
        text += filler('ts', 60);
      } else {
        text = 'package main\n\nimport (\n\t"context"\n\t"fmt"\n\t"github.com/mark3labs/mcp-go/mcp"\n)\n';
        if (withTools) for (let t = 0; t < 8; t++) text += goTool(s, f, t);
        text += filler('go', 60);
      }
      fs.writeFileSync(path.join(root, 'src', `m${f}.${lang}`), text);
    }
  }
}

function figures(label: string, r: ExtractResult, ms: number): { mbps: number; fps: number } {
  const mb = r.stats.bytes / 1024 / 1024;
  const tools = r.servers.reduce((n, s) => n + s.tools.length, 0);
  const mbps = mb / (ms / 1000);
  const fps = r.stats.files / (ms / 1000);
  console.log(
    `${label}: ${r.stats.files} files, ${mb.toFixed(1)} MB, ${r.servers.length} servers, ${tools} tools, ` +
      `${ms.toFixed(0)} ms → ${mbps.toFixed(2)} MB/s, ${fps.toFixed(0)} files/s`,
  );
  return { mbps, fps };
}

async function timed(dir: string): Promise<{ r: ExtractResult; ms: number }> {
  const t0 = performance.now();
  const r = await extractFromDirectory(dir);
  return { r, ms: performance.now() - t0 };
}

async function main(): Promise<void> {
  const corpus = fs.mkdtempSync(path.join(os.tmpdir(), 'extract-bench-'));
  try {
    generate(corpus);
    const cold = await timed(corpus);
    figures('generated corpus, cold (grammar loading included)', cold.r, cold.ms);
    let best = { mbps: 0, fps: 0 };
    for (let i = 0; i < 3; i++) {
      const warm = await timed(corpus);
      const f = figures(`generated corpus, warm run ${i + 1}`, warm.r, warm.ms);
      if (f.mbps > best.mbps) best = f;
    }
    const large = process.argv[2] ?? process.env.EXTRACT_BENCH_REPO;
    if (large && fs.existsSync(large)) {
      const whole = await timed(large);
      figures(`whole repository ${large}`, whole.r, whole.ms);
    } else console.log('whole repository: none given (pass a directory or set EXTRACT_BENCH_REPO)');
    console.log(`extract-bench: ${best.mbps.toFixed(2)} MB/s, ${best.fps.toFixed(0)} files/s`);
  } finally {
    fs.rmSync(corpus, { recursive: true, force: true });
  }
}

await main();
