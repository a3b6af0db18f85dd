// Bad input never stops a scan: each case gets a clear per-file note and the other tools are still found.
// Big inputs are generated in a temporary directory at test time.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFromDirectory } from '../../crawler/extract/index.ts';
import { tempDir } from '../helpers/tmp.ts';

const GOOD_TOOL = `from mcp.server.fastmcp import FastMCP

mcp = FastMCP("ok")


@mcp.tool()
def still_found(x: int) -> int:
    """Found despite the bad neighbours."""
    return x
`;

function write(dir: string, rel: string, content: string | Buffer): void {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

function names(result: Awaited<ReturnType<typeof extractFromDirectory>>): string[] {
  return result.servers.flatMap((s) => s.tools.map((t) => t.name)).sort();
}

describe('bad input', () => {
  it('reads the intact parts of a file with syntax errors and says where it broke', async () => {
    const dir = tempDir();
    write(
      dir,
      'server.py',
      `${GOOD_TOOL}\n\n@mcp.tool()\ndef broken(:\n    pass\n\n\n@mcp.tool()\ndef after_the_break() -> str:\n    """Still read."""\n    return ""\n`,
    );
    write(dir, 'bad.ts', `server.tool('ts_ok', 'Fine.', async () => ({ content: [] }));\nconst = = ;\n`);
    const result = await extractFromDirectory(dir);
    // tree-sitter recovers the broken definition's name too; the note says the file is broken there.
    expect(names(result)).toEqual(['after_the_break', 'broken', 'still_found', 'ts_ok']);
    const notes = result.notes.filter((n) => n.message.startsWith('syntax error'));
    expect(notes.map((n) => n.path).sort()).toEqual(['bad.ts', 'server.py']);
    expect(notes.find((n) => n.path === 'server.py')?.line).toBe(13);
  });

  it('reads Latin-1, UTF-16 and BOM-prefixed files, noting the encoding', async () => {
    const dir = tempDir();
    const latin1 = Buffer.from(
      '@mcp.tool()\ndef caf\u00e9_tool() -> str:\n    """Ol\u00e1, caf\u00e9."""\n    return ""\n',
      'latin1',
    );
    write(dir, 'latin.py', latin1);
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(
        `server.tool('wide_tool', 'Wide \u00fc text.', async () => ({ content: [] }));\n`,
        'utf16le',
      ),
    ]);
    write(dir, 'wide.js', utf16);
    write(
      dir,
      'bom.js',
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(`server.tool('bom_tool', 'After a BOM.', async () => ({ content: [] }));\n`),
      ]),
    );
    const result = await extractFromDirectory(dir);
    const tools = result.servers.flatMap((s) => s.tools);
    expect(tools.find((t) => t.name === 'caf\u00e9_tool')?.description).toBe('Ol\u00e1, caf\u00e9.');
    expect(tools.find((t) => t.name === 'wide_tool')?.description).toBe('Wide \u00fc text.');
    expect(tools.find((t) => t.name === 'bom_tool')?.description).toBe('After a BOM.');
    expect(result.notes).toContainEqual({
      path: 'latin.py',
      level: 'info',
      message: 'encoding: not valid UTF-8; read as Latin-1',
    });
    expect(result.notes).toContainEqual({ path: 'wide.js', level: 'info', message: 'encoding: UTF-16LE' });
  });

  it('skips a 50 MB file with a note and reads the rest', async () => {
    const dir = tempDir();
    write(dir, 'server.py', GOOD_TOOL);
    const big = Buffer.alloc(50 * 1024 * 1024, 'x = 1  # filler\n');
    write(dir, 'generated_tables.py', big);
    const result = await extractFromDirectory(dir);
    expect(names(result)).toEqual(['still_found']);
    expect(result.notes).toContainEqual({
      path: 'generated_tables.py',
      level: 'warn',
      message: `skipped: ${big.length} bytes is over the 4194304-byte cap`,
    });
    expect(result.stats.skipped).toBe(1);
  });

  it('skips binary files and large minified bundles with a reason', async () => {
    const dir = tempDir();
    write(dir, 'server.py', GOOD_TOOL);
    write(dir, 'image.js', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]));
    write(dir, 'bundle.min.js', `var a=${JSON.stringify('y'.repeat(600_000))};server.tool("min",()=>1);`);
    const result = await extractFromDirectory(dir);
    expect(names(result)).toEqual(['still_found']);
    expect(result.notes.find((n) => n.path === 'image.js')?.message).toBe('skipped: binary content');
    expect(result.notes.find((n) => n.path === 'bundle.min.js')?.message).toMatch(
      /^skipped: minified or generated/,
    );
  });

  it('does not follow symlink loops, and says so', async () => {
    const dir = tempDir();
    write(dir, 'pkg/server.py', GOOD_TOOL);
    fs.symlinkSync('..', path.join(dir, 'pkg', 'up'));
    fs.symlinkSync('self', path.join(dir, 'self'));
    fs.symlinkSync(path.join(dir, 'pkg'), path.join(dir, 'pkg-again'));
    const result = await extractFromDirectory(dir);
    expect(names(result)).toEqual(['still_found']);
    const byPath = new Map(result.notes.map((n) => [n.path, n.message]));
    expect(byPath.get('pkg/up')).toBe('symlink loop: directory already scanned; not followed');
    expect(byPath.get('self')).toBe('symlink loop; not followed');
    expect(byPath.get('pkg-again')).toBe('symlink loop: directory already scanned; not followed');
  });

  it('completes over 100k files, stopping at the file limit with a note', async () => {
    const dir = tempDir();
    write(dir, 'server.py', GOOD_TOOL);
    for (let d = 0; d < 100; d++) {
      const sub = path.join(dir, 'gen', `d${String(d).padStart(3, '0')}`);
      fs.mkdirSync(sub, { recursive: true });
      for (let f = 0; f < 1000; f++) fs.writeFileSync(path.join(sub, `m${f}.py`), 'VALUE = 1\n');
    }
    const result = await extractFromDirectory(dir, { maxFiles: 60_000 });
    expect(names(result)).toEqual(['still_found']);
    expect(result.stats.files).toBe(60_000);
    expect(result.stats.skipped).toBe(100_001 - 60_000);
    expect(result.notes.filter((n) => n.message.startsWith('file limit'))).toHaveLength(1);
  }, 120_000);

  it('reports names built at run time as notes with their location, never as tools', async () => {
    const dir = tempDir();
    write(
      dir,
      'server.py',
      `${GOOD_TOOL}\n\nfor n in ["a", "b"]:\n    mcp.add_tool(still_found, name=f"dyn_{n}")\n\n\n@mcp.tool(name=make_name())\ndef dynamic() -> str:\n    return ""\n`,
    );
    write(
      dir,
      'index.js',
      `for (const n of names()) server.tool(\`js_\${n}\`, 'Dynamic.', async () => ({ content: [] }));\n`,
    );
    write(
      dir,
      'main.go',
      `package main\n\nfunc reg(s *S, n string) { s.AddTool(mcp.NewTool(n + os.Getenv("X")), h) }\n`,
    );
    const result = await extractFromDirectory(dir);
    expect(names(result)).toEqual(['still_found']);
    const runtime = result.notes.filter((n) => n.message.includes('built at run time'));
    expect(runtime.map((n) => `${n.path}:${n.line}`).sort()).toEqual([
      'index.js:1',
      'main.go:3',
      'server.py:13',
      'server.py:16',
    ]);
  });

  it('never executes what it reads', async () => {
    const dir = tempDir();
    const marker = path.join(dir, 'executed.txt');
    write(dir, 'server.py', `open(${JSON.stringify(marker)}, "w").write("ran")\n${GOOD_TOOL}`);
    write(
      dir,
      'index.mjs',
      `import fs from 'node:fs';\nfs.writeFileSync(${JSON.stringify(marker)}, 'ran');\nserver.tool('js_tool', 'x', () => 1);\n`,
    );
    const result = await extractFromDirectory(dir);
    expect(names(result)).toEqual(['js_tool', 'still_found']);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('skips dependencies and vendored code, and uses dist/ only when it is the only code', async () => {
    const dir = tempDir();
    const jsTool = (name: string) => `server.tool('${name}', 'x', async () => ({ content: [] }));\n`;
    write(dir, 'package.json', '{"name":"pkg"}');
    write(dir, 'src/index.js', jsTool('from_source'));
    write(dir, 'dist/index.js', jsTool('from_dist_shadowed'));
    write(dir, 'node_modules/dep/index.js', jsTool('from_node_modules'));
    write(dir, 'vendor/lib/index.js', jsTool('from_vendor'));
    write(dir, '.venv/lib/site.py', GOOD_TOOL.replace('still_found', 'from_venv'));
    write(dir, 'published/package.json', '{"name":"published"}');
    write(dir, 'published/dist/cli.js', jsTool('from_only_dist'));
    write(dir, 'kotlin/Server.kt', 'fun main() {}\n');
    const result = await extractFromDirectory(dir);
    expect(result.notes).toContainEqual({
      path: 'kotlin/Server.kt',
      level: 'info',
      message: '1 Kotlin file(s) not read: no tree-sitter grammar for Kotlin is available',
    });
    expect(result.servers.map((s) => [s.root, s.tools.map((t) => t.name)])).toEqual([
      ['.', ['from_source']],
      ['published', ['from_only_dist']],
    ]);
  });

  it('stops when aborted', async () => {
    const dir = tempDir();
    write(dir, 'server.py', GOOD_TOOL);
    await expect(extractFromDirectory(dir, { signal: AbortSignal.abort() })).rejects.toThrow();
  });
});
