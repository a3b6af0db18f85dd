// Awesome-style markdown lists: each list item or table row whose first GitHub link points into a
// repository becomes a ref (link text as name, the rest of the line as description). `/tree/<ref>/<path>`
// links keep their ref and subfolder; links in prose, headings and the table of contents are ignored.
import fs from 'node:fs/promises';
import type { ServerRef } from '../../data/model.ts';
import { parseGitHubUrl } from './github-url.ts';
import { RefEmitter, SourceError, githubId, sourceFailure, type DiscoverOptions } from './source.ts';

export const MARKDOWN_SOURCE = 'markdown';

export interface MarkdownOptions extends DiscoverOptions {
  /** Markdown text, or a file to read it from. */
  text?: string;
  file?: string;
  /** Recorded as ServerRef.source; `markdown` by default (e.g. `awesome:punkpeye`). */
  sourceName?: string;
}

const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s+/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const LINK = /\[((?:[^[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const BARE_URL = /(?<![(<])\bhttps?:\/\/(?:www\.)?github\.com\/[^\s)>\]|]+/gi;

export async function* discoverMarkdown(options: MarkdownOptions): AsyncGenerator<ServerRef> {
  const source = options.sourceName ?? MARKDOWN_SOURCE;
  const emitter = new RefEmitter(source, options);
  let text: string;
  try {
    options.signal?.throwIfAborted();
    if (options.text !== undefined) text = options.text;
    else if (options.file)
      text = await fs.readFile(options.file, { encoding: 'utf8', signal: options.signal });
    else throw new SourceError(source, 'needs `text` or `file`');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new SourceError(source, `markdown file ${options.file} does not exist`, error);
    }
    throw sourceFailure(source, error, options.signal);
  }
  let inFence = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence || !(LIST_ITEM.test(line) || TABLE_ROW.test(line))) continue;
    options.signal?.throwIfAborted();
    const input = parseLine(line);
    if (!input) continue;
    const ref = emitter.accept(input, line);
    if (ref) yield ref;
    if (emitter.done) return;
  }
}

/** One list item or table row to a ref input, from its first link into a GitHub repository. */
export function parseLine(line: string) {
  const links: { text: string; url: string; index: number; end: number }[] = [];
  for (const m of line.matchAll(LINK)) {
    links.push({ text: m[1] ?? '', url: m[2] ?? '', index: m.index, end: m.index + m[0].length });
  }
  for (const m of line.matchAll(BARE_URL)) {
    links.push({ text: '', url: m[0], index: m.index, end: m.index + m[0].length });
  }
  links.sort((a, b) => a.index - b.index);
  for (const link of links) {
    const gh = parseGitHubUrl(link.url);
    if (!gh) continue;
    const linkText = plain(link.text);
    const name = linkText && !/^https?:/.test(linkText) ? linkText : (gh.subdir?.split('/').pop() ?? gh.repo);
    const description = plain(line.slice(link.end))
      .replace(/^[\s\-–—:|]+/, '')
      .replace(/[\s|]+$/, '');
    return {
      id: githubId(gh.owner, gh.repo, gh.subdir),
      name,
      ...(description ? { description } : {}),
      repositoryUrl: `https://github.com/${gh.owner}/${gh.repo}`,
      packages: [],
      github: gh,
    };
  }
  return undefined;
}

/** Markdown to plain text: links to their text, images, emphasis and inline code marks dropped. */
function plain(s: string): string {
  return s
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(LINK, (_m, text: string) => text)
    .replace(/[*_`~]+/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
