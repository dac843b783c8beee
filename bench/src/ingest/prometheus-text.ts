/** A process's metrics in the Prometheus text format, as its /metrics serves them. */
export async function metricsTextAt(metricsUrl: string): Promise<string> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`${metricsUrl} answered ${response.status}`);
  return response.text();
}

/** The labels of a sample, from the text between its braces: `a="x",b="y"`. */
export function labelsOf(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/(\w+)="([^"]*)"/g)].map(([, name, value]) => [name, value]));
}
