// Progress display for crawls: a bar with counts, rate and ETA on a terminal; one line per server
// otherwise (CI logs). Fed by the crawl pipeline's events; the pipeline itself never prints.
import cliProgress from 'cli-progress';
import type { CrawlEvent, CrawlSummary } from '../crawler/crawl.ts';
import type { CliContext } from './context.ts';
import { terminalSafe } from './render.ts';

export function crawlProgress(ctx: CliContext, label: string): (event: CrawlEvent) => void {
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

/** The closing summary: totals, then failures grouped by kind. */
export function crawlSummaryText(summary: CrawlSummary): string {
  const lines = [
    `crawl #${summary.runId}: ${summary.servers} servers, ${summary.ok} ok, ${summary.failed} failed; ${summary.tools} tools stored`,
  ];
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
  const byKind = new Map<string, typeof summary.failures>();
  for (const f of summary.failures) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f]);
  for (const [kind, failures] of byKind) {
    lines.push(`  ${kind} (${failures.length}):`);
    for (const f of failures) lines.push(`    ${terminalSafe(f.serverId)}: ${terminalSafe(f.reason)}`);
  }
  return lines.join('\n');
}
