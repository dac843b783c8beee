/** Bytes in the unit a person reads them in: 812 B, 4.2 KiB, 37.5 MiB, 1.2 GiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} ${units[0]}` : `${value.toFixed(1)} ${units[unit]}`;
}

/** A timestamp as a short local date and time: 2 Dec 2026, 14:05. */
export function formatWhen(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/** Why a stored answer shows no text: it cited a document hidden from the reader, or was not kept. */
export const withheldOrNotKept = (withheld: boolean | undefined): string =>
  withheld ? 'The answer is withheld: it cited a document you may not see.' : 'The answer was not kept.';
