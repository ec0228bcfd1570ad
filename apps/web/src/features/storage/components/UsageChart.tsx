import { useId } from "react";
import { formatPercent } from "../utils/usage";
import { usageChartGeometry, type ChartBox, type UsagePoint } from "../utils/usage-chart";

const BOX: ChartBox = { width: 640, height: 240, margin: { top: 12, right: 16, bottom: 30, left: 46 } };

export interface UsageChartProps {
  /** Used for the chart's accessible name, e.g. "backup-vol-1". */
  name: string;
  samples: readonly UsagePoint[];
  thresholdPercent: number;
}

/** A line chart of a volume's used percent over time, with the alert threshold; plain SVG. */
export function UsageChart({ name, samples, thresholdPercent }: UsageChartProps) {
  const titleId = useId();
  const descId = useId();
  const g = usageChartGeometry(samples, BOX, thresholdPercent);
  const first = g.points[0];
  const last = g.points[g.points.length - 1];
  const description =
    first && last
      ? `${g.points.length} samples, from ${formatPercent(first.percent)} to ${formatPercent(last.percent)}; alert threshold ${thresholdPercent}%.`
      : "No samples yet.";
  return (
    <svg
      className="usage-chart"
      viewBox={`0 0 ${BOX.width} ${BOX.height}`}
      role="img"
      aria-labelledby={`${titleId} ${descId}`}
      data-testid="usage-chart"
      data-samples={g.points.length}
    >
      <title id={titleId}>{`Used percent of ${name} over the last 24 hours`}</title>
      <desc id={descId}>{description}</desc>
      <g className="chart-grid" aria-hidden="true">
        {g.yTicks.map((t) => (
          <g key={t.label}>
            <line x1={g.plot.left} x2={g.plot.right} y1={t.y} y2={t.y} />
            <text x={g.plot.left - 6} y={t.y} textAnchor="end" dominantBaseline="middle" className="chart-label">
              {t.label}
            </text>
          </g>
        ))}
        {g.xTicks.map((t, i) => (
          <text
            key={i}
            x={t.x}
            y={g.plot.bottom + 18}
            textAnchor={i === 0 ? "start" : i === g.xTicks.length - 1 ? "end" : "middle"}
            className="chart-label"
          >
            {t.label}
          </text>
        ))}
      </g>
      <g aria-hidden="true">
        <line
          className="chart-threshold"
          x1={g.plot.left}
          x2={g.plot.right}
          y1={g.thresholdY}
          y2={g.thresholdY}
          data-testid="usage-chart-threshold"
        />
        <text x={g.plot.right - 4} y={g.thresholdY - 5} textAnchor="end" className="chart-label chart-threshold-label">
          {thresholdPercent}% alert
        </text>
        {g.path && <path className="chart-line" d={g.path} />}
        {g.points.length <= 120 && g.points.map((p) => <circle key={p.at} className="chart-point" cx={p.x} cy={p.y} r={2.5} />)}
      </g>
    </svg>
  );
}
