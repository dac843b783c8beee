/** How much of a quota is used, as a labelled meter. */
export function UsageBar({
  label,
  used,
  limit,
  format = String,
}: {
  label: string;
  used: number;
  limit: number;
  format?: (n: number) => string;
}) {
  const id = `usage-${label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div className="usage-bar">
      <label htmlFor={id}>
        {label}: {format(used)} of {format(limit)}
      </label>
      <meter id={id} min={0} max={limit} value={used} high={limit * 0.8} optimum={0} />
    </div>
  );
}
