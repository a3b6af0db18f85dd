// The risk distribution as numbers for an SVG bar chart: bar widths are SVG attributes (not inline styles,
// which the Content-Security-Policy forbids), colours come from classes in the stylesheet.
import type { Risk } from '../../../data/model.ts';

export const CHART_WIDTH = 300;
const BAR_HEIGHT = 22;
const GAP = 6;
export const LABEL_WIDTH = 70;

export interface RiskBar {
  risk: Risk;
  count: number;
  /** Share of all tools, 0..100, rounded. */
  percent: number;
  y: number;
  width: number;
}

export interface RiskChart {
  width: number;
  height: number;
  barHeight: number;
  labelWidth: number;
  total: number;
  bars: RiskBar[];
}

export function riskChart(counts: { risk: Risk; count: number }[]): RiskChart {
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  const max = Math.max(1, ...counts.map((c) => c.count));
  return {
    width: LABEL_WIDTH + CHART_WIDTH + 80,
    height: counts.length * (BAR_HEIGHT + GAP),
    barHeight: BAR_HEIGHT,
    labelWidth: LABEL_WIDTH,
    total,
    bars: counts.map((c, i) => ({
      risk: c.risk,
      count: c.count,
      percent: total ? Math.round((c.count / total) * 100) : 0,
      y: i * (BAR_HEIGHT + GAP),
      // A non-empty bucket always shows at least a sliver.
      width: c.count === 0 ? 0 : Math.max(2, Math.round((c.count / max) * CHART_WIDTH)),
    })),
  };
}
