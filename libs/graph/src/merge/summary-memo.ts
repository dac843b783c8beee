import { sha256Hex } from '@strata/core';

/** Summaries remembered per process: a few thousand of at most MAX_DESCRIPTION_CHARS each. */
export const SUMMARY_MEMO_ENTRIES = 5000;

/**
 * The LLM summaries of merged descriptions this process made, by KB, model, subject and the
 * descriptions summarised. A much-mentioned entity is merged again by every batch that mentions
 * it, but once past the mentions it is made from (MAX_MERGED_MENTIONS) its descriptions no longer
 * change: asking the LLM again would cost a call per batch and, as its answers vary, change the
 * description and so re-embed the entity each time. The least recently used summaries go first.
 */
export class SummaryMemo {
  private readonly entries = new Map<string, string>();

  constructor(private readonly capacity = SUMMARY_MEMO_ENTRIES) {}

  async summarise(
    input: { kbId: string; model: string; subject: string; descriptions: readonly string[] },
    summarise: () => Promise<string>,
  ): Promise<string> {
    const key = sha256Hex(JSON.stringify([input.kbId, input.model, input.subject, input.descriptions]));
    const known = this.entries.get(key);
    if (known !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, known);
      return known;
    }
    const summary = await summarise();
    this.entries.set(key, summary);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(oldest);
    }
    return summary;
  }
}

/** A summariser: the merge tools' `summarise` and the model behind it. */
export interface Summariser {
  summarise?(subject: string, descriptions: string[]): Promise<string>;
  summariser?: string;
}

/** `tools`' summaries for the KB `kbId`, asked of its LLM once per input and remembered in `memo`. */
export function rememberedSummaries(
  memo: SummaryMemo,
  kbId: string,
  tools: Summariser | null,
): Summariser | null {
  const summarise = tools?.summarise;
  if (!summarise) return null;
  const model = tools.summariser ?? '';
  return {
    summariser: model,
    summarise: (subject, descriptions) =>
      memo.summarise({ kbId, model, subject, descriptions }, () => summarise(subject, descriptions)),
  };
}
