// Progress display for crawls: a bar with counts, rate and ETA on a terminal; one line per server
// otherwise (CI logs). Fed by the crawl pipeline's events; the pipeline itself never prints.
import cliProgress from 'cli-progress';
import type { CrawlSummary } from '../crawler/crawl.ts';
import type { SourceCrawlEvent, SourceCrawlSummary } from '../crawler/source-crawl.ts';
import type { CliContext } from './context.ts';
import { terminalSafe } from './render.ts';

/** Failures listed per group in the summary; the rest are counted (a 43,000-server crawl has many). */
const LISTED_PER_GROUP = 20;

export function crawlProgress(ctx: CliContext, label: string): (event: SourceCrawlEvent) => void {
  let bar: cliProgress.SingleBar | undefined;
  let done = 0;
  let total = 0;
  let tools = 0;
  let failed = 0;
  return (event) => {
    switch (event.type) {
      case 'start':
        total = event.total ?? 0;
        if (ctx.interactive) {
          bar = new cliProgress.SingleBar(
            {
              format: `${label} {bar} {value}/{total} servers | {tools} tools | {failed} failed | {rate}/s | ETA {eta_formatted} | {current}`,
              stream: process.stderr,
              hideCursor: true,
              clearOnComplete: false,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, 0, { tools: 0, failed: 0, current: '', rate: '0.0' });
        } else {
          ctx.err(`${label}: ${total || 'an unknown number of'} servers`);
        }
        break;
      case 'total':
        // The source crawl learns its total as discovery fills the queue.
        total = Math.max(event.total, done);
        bar?.setTotal(total);
        break;
      case 'server-start':
        bar?.update({ current: terminalSafe(event.id).slice(0, 40) });
        break;
      case 'server-done':
      case 'server-failed': {
        done++;
        if (event.type === 'server-done') tools += event.tools;
        else failed++;
        if (bar) {
          if (done > total) bar.setTotal(done);
          const elapsed = (Date.now() - (bar as unknown as { startTime: number }).startTime) / 1000;
          bar.update(done, { tools, failed, rate: elapsed > 0 ? (done / elapsed).toFixed(1) : '0.0' });
        } else {
          const what =
            event.type === 'server-done'
              ? `ok, ${event.tools} tools`
              : `FAILED (${event.kind}): ${terminalSafe(event.reason)}`;
          ctx.err(`[${done}${total ? `/${total}` : ''}] ${terminalSafe(event.id)}: ${what}`);
        }
        break;
      }
      case 'finish':
        bar?.stop();
        break;
    }
  };
}

/** The closing summary: totals, then failures grouped by reason (source crawls) or kind (live crawls). */
export function crawlSummaryText(summary: CrawlSummary | SourceCrawlSummary): string {
  const lines = [
    `crawl #${summary.runId}: ${summary.servers} servers, ${summary.ok} ok, ${summary.failed} failed; ${summary.tools} tools stored`,
  ];
  if ('passId' in summary) lines.push(...sourceLines(summary));
  const c = summary.changes;
  if (c.added + c.changed + c.removed > 0 || c.unchanged > 0) {
    lines.push(
      `  tools: ${c.added} added, ${c.changed} changed, ${c.removed} removed, ${c.unchanged} unchanged`,
    );
  }
  for (const r of summary.rugPulls) {
    lines.push(`  RISK ROSE ${terminalSafe(r.serverId)} ${terminalSafe(r.tool)}: ${terminalSafe(r.summary)}`);
  }
  if (summary.judgeFailures > 0) {
    lines.push(`  LLM judge failed on ${summary.judgeFailures} tool(s); their rules verdicts stand`);
  }
  const byGroup = new Map<string, CrawlSummary['failures']>();
  for (const f of summary.failures) {
    const group = 'group' in f && typeof f.group === 'string' ? f.group : f.kind;
    byGroup.set(group, [...(byGroup.get(group) ?? []), f]);
  }
  for (const [group, failures] of byGroup) {
    lines.push(`  ${terminalSafe(group)} (${failures.length}):`);
    for (const f of failures.slice(0, LISTED_PER_GROUP))
      lines.push(`    ${terminalSafe(f.serverId)}: ${terminalSafe(f.reason)}`);
    if (failures.length > LISTED_PER_GROUP)
      lines.push(`    … and ${failures.length - LISTED_PER_GROUP} more`);
  }
  return lines.join('\n');
}

function sourceLines(s: SourceCrawlSummary): string[] {
  const lines: string[] = [];
  const head = [
    s.resumed ? `resumed pass #${s.passId}` : `pass #${s.passId}`,
    `${s.enqueued} queued`,
    `${s.unchanged} unchanged`,
    `${s.gone} gone`,
  ];
  if (s.reclaimed > 0) head.push(`${s.reclaimed} taken back from a crawl that died`);
  lines.push(`  ${head.join(', ')}`);
  if (s.duplicates.length > 0) {
    lines.push(
      `  ${s.duplicates.length} forks with the same tools as a catalogued server, not stored again:`,
    );
    for (const d of s.duplicates.slice(0, LISTED_PER_GROUP))
      lines.push(`    ${terminalSafe(d.serverId)} = ${terminalSafe(d.of)}`);
    if (s.duplicates.length > LISTED_PER_GROUP)
      lines.push(`    … and ${s.duplicates.length - LISTED_PER_GROUP} more`);
  }
  if (s.waiting > 0)
    lines.push(`  ${s.waiting} waiting on a retry or rate limit: run the crawl again to resume`);
  if (s.needsGitHub > 0) lines.push(`  ${s.needsGitHub} only on GitHub, left queued: set GITHUB_TOKEN`);
  if (!s.passFinished && s.waiting === 0 && s.needsGitHub === 0)
    lines.push('  the pass is not finished: run the crawl again to resume');
  return lines;
}
