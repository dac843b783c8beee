import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';

// The rank subpath is only reachable through package exports, which this TS resolution mode skips.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cl100kModule = require('js-tiktoken/ranks/cl100k_base') as TiktokenBPE & { default?: TiktokenBPE };
const cl100k: TiktokenBPE = cl100kModule.default ?? cl100kModule;

/** Token counting and slicing; cl100k_base, bundled with the package (nothing is downloaded). */
export interface Tokenizer {
  encode(text: string): number[];
  decode(tokens: number[]): string;
}

let shared: Tokenizer | null = null;

/** The process-wide tokenizer, built on first use (its rank table takes a moment to load). */
export function tokenizer(): Tokenizer {
  shared ??= new Tiktoken(cl100k);
  return shared;
}

export const countTokens = (text: string): number => tokenizer().encode(text).length;
