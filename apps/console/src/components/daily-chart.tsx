import { compactNumber, type DayValue, shortDay } from './daily-series';

/**
 * Bars of one number per day, oldest left, with a value axis (0 and the highest day), the first,
 * middle and last dates, the period's total, and each day's value on hover. A period with nothing
 * says so instead of drawing an empty box.
 */
export function DailyChart({ title, days, unit }: { title: string; days: DayValue[]; unit: string }) {
  const total = days.reduce((sum, d) => sum + d.value, 0);
  const max = Math.max(1, ...days.map((d) => d.value));
  const width = days.length * 10;
  const busiest = days.reduce(
    (best, d) => (d.value > best.value ? d : best),
    days[0] ?? { day: '', value: 0 },
  );
  const summary =
    total === 0
      ? `no ${unit} in the last ${days.length} days`
      : `${total} ${unit} in ${days.length} days; ${days
          .filter((d) => d.value > 0)
          .map((d) => `${d.day}: ${d.value}`)
          .join(', ')}`;
  const ticks = days.length > 2 ? [days[0], days[Math.floor(days.length / 2)], days[days.length - 1]] : days;
  return (
    <figure className="daily-chart">
      <figcaption>
        <strong>{title}</strong>
        <span className="muted-text">
          {' '}
          {compactNumber(total)} in {days.length} days
          {total > 0 && `, most on ${shortDay(busiest.day)} (${compactNumber(busiest.value)})`}
        </span>
      </figcaption>
      {total === 0 ? (
        <p className="chart-empty" role="img" aria-label={`${title}: ${summary}`}>
          No {unit} in the last {days.length} days.
        </p>
      ) : (
        <div className="chart-body">
          <div className="y-axis" aria-hidden="true">
            <span>{compactNumber(max)}</span>
            <span>0</span>
          </div>
          <svg
            viewBox={`0 0 ${width} 100`}
            role="img"
            aria-label={`${title}: ${summary}`}
            preserveAspectRatio="none"
          >
            <line x1={0} y1={0} x2={width} y2={0} className="gridline" />
            <line x1={0} y1={100} x2={width} y2={100} className="axis" />
            {days.map((d, i) => {
              const height = (d.value / max) * 100;
              return (
                <rect key={d.day} x={i * 10 + 1.5} y={100 - height} width={7} height={height} className="bar">
                  <title>{`${shortDay(d.day)}: ${d.value} ${unit}`}</title>
                </rect>
              );
            })}
          </svg>
          <div className="x-axis" aria-hidden="true">
            {ticks.map((d) => (
              <span key={d.day}>{shortDay(d.day)}</span>
            ))}
          </div>
        </div>
      )}
    </figure>
  );
}
