/** One number per calendar day (UTC, `YYYY-MM-DD`). */
export interface DayValue {
  day: string;
  value: number;
}

/**
 * The last `count` days up to `today`, oldest first, with 0 for the days the API left out (it
 * lists only days with activity), so a chart's bars stand one a day.
 */
export function lastDays(values: DayValue[], count: number, today: Date): DayValue[] {
  const byDay = new Map(values.map((v) => [v.day, v.value]));
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Array.from({ length: count }, (_, i) => {
    const day = new Date(end - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    return { day, value: byDay.get(day) ?? 0 };
  });
}

/** `2 Dec` for `2026-12-02`. */
export const shortDay = (day: string): string =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });

/** 1234 → 1,234; 1234567 → 1.2M: short enough for an axis. */
export function compactNumber(n: number): string {
  return new Intl.NumberFormat('en', {
    notation: n >= 100_000 ? 'compact' : 'standard',
    maximumFractionDigits: 1,
  }).format(n);
}
