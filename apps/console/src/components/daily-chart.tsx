/** Bars of one number per day, oldest left (an SVG with a text alternative). */
export function DailyChart({ title, days }: { title: string; days: Array<{ day: string; value: number }> }) {
  const ordered = [...days].reverse();
  const max = Math.max(1, ...ordered.map((d) => d.value));
  const width = Math.max(ordered.length * 18, 120);
  const summary = ordered.map((d) => `${d.day}: ${d.value}`).join(', ') || 'no activity';
  return (
    <figure className="daily-chart">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${width} 100`}
        role="img"
        aria-label={`${title}: ${summary}`}
        preserveAspectRatio="none"
      >
        {ordered.map((d, i) => {
          const height = (d.value / max) * 90;
          return (
            <rect key={d.day} x={i * 18 + 3} y={100 - height} width={12} height={height} className="bar">
              <title>{`${d.day}: ${d.value}`}</title>
            </rect>
          );
        })}
      </svg>
    </figure>
  );
}
