import { ParseError } from '../parse-error';
import { decodeText } from './text.parser';

const MAX_DEPTH = 64;

/**
 * A JSON document as "path: value" lines (e.g. `orders[0].customer.name: Ada`): every value keeps
 * the keys that give it meaning. Objects in a top-level array become paragraphs of their own.
 */
export function parseJson(content: Buffer): string {
  let value: unknown;
  try {
    value = JSON.parse(decodeText(content));
  } catch (error) {
    throw new ParseError(`the JSON is malformed: ${(error as Error).message.slice(0, 200)}`);
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => flatten(item, `[${i}]`, 0).join('\n')).join('\n\n');
  }
  return flatten(value, '', 0).join('\n');
}

function flatten(value: unknown, path: string, depth: number): string[] {
  if (depth > MAX_DEPTH) throw new ParseError(`the JSON is nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) return value.flatMap((item, i) => flatten(item, `${path}[${i}]`, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      flatten(item, path ? `${path}.${key}` : key, depth + 1),
    );
  }
  if (value === null || value === '') return [];
  return [path ? `${path}: ${String(value)}` : String(value)];
}
