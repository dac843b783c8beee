/** Rows as aligned columns under a header; `(none)` for no rows. */
export function table(header: string[], rows: string[][]): string {
  if (rows.length === 0) return '(none)';
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  return all
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Pretty JSON for `--json`: the same shapes the HTTP API answers. */
export const json = (value: unknown): string => JSON.stringify(value, null, 2);
