import { useId } from "react";
import { formatPercent } from "../utils/usage";
import { formatBytes } from "../../backups/utils/bytes";
import { usageChartGeometry, type ChartBox, type UsagePoint, type UsageProjectionInput } from "../utils/usage-chart";

const BOX: ChartBox = { width: 640, height: 240, margin: { top: 12, right: 16, bottom: 30, left: 46 } };

export interface UsageChartProps {
  /** Used for the chart's accessible name, e.g. "backup-vol-1". */
  name: string;
  samples: readonly UsagePoint[];
  thresholdPercent: number;
  /** The next 30 days as the volume's Backups will fill it, drawn dashed after the samples. */
  projection?: UsageProjectionInput | null;
}

const when = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

/** A line chart of a volume's used percent over time, with the alert threshold; plain SVG. */
export function UsageChart({ name, samples, thresholdPercent, projection }: UsageChartProps) {
  const titleId = useId();
  const descId = useId();
  const g = usageChartGeometry(samples, BOX, thresholdPercent, projection);
  const p = g.projection;
  const first = g.points[0];
  const last = g.points[g.points.length - 1];
  const description =
    first && last
      ? `${g.points.length} samples, from ${formatPercent(first.percent)} to ${formatPercent(last.percent)}; alert threshold ${thresholdPercent}%.`
      : "No samples yet.";
  const ahead = p
    ? ` Projected over the next 30 days: ${p.steps.length} steps${p.failure ? `; ${p.failure.source} on ${when.format(p.failure.at)} will not fit` : ""}.`
    : "";
  return (
    <svg
      className="usage-chart"
      viewBox={`0 0 ${BOX.width} ${BOX.height}`}
      role="img"
      aria-labelledby={`${titleId} ${descId}`}
      data-testid="usage-chart"
      data-samples={g.points.length}
    >
      <title id={titleId}>{`Used percent of ${name} over the last 24 hours${p ? " and the next 30 days" : ""}`}</title>
      <desc id={descId}>{`${description}${ahead}`}</desc>
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
        {g.points.length <= 120 && g.points.map((pt) => <circle key={pt.at} className="chart-point" cx={pt.x} cy={pt.y} r={2.5} />)}
      </g>
      {p && (
        <g data-testid="usage-chart-projection" data-steps={p.steps.length}>
          <line className="chart-grid" x1={p.nowX} x2={p.nowX} y1={g.plot.top} y2={g.plot.bottom} aria-hidden="true" />
          <path className="chart-line chart-projection" d={p.path} />
          {p.steps.length <= 200 &&
            p.steps.map((s, i) => (
              <circle key={i} className="chart-point" cx={s.x} cy={s.y} r={2} data-testid="usage-chart-step">
                <title>{`${when.format(s.at)}: ${s.source} (${s.deltaBytes >= 0 ? "+" : "−"}${formatBytes(Math.abs(s.deltaBytes))})`}</title>
              </circle>
            ))}
          {p.failure && (
            <circle className="chart-point chart-failure" cx={p.failure.x} cy={p.failure.y} r={4} data-testid="usage-chart-failure">
              <title>{`${when.format(p.failure.at)}: ${p.failure.source} will not fit`}</title>
            </circle>
          )}
        </g>
      )}
    </svg>
  );
}
