/** A deterministic generator (mulberry32), so every run ingests the same corpus. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ro',
  'sa',
  'ti',
  'vu',
  'qua',
  'ber',
  'dor',
  'fen',
  'gal',
  'hin',
  'jor',
  'pel',
];

/** A vocabulary of made-up words with a Zipf-like frequency, like real text has. */
function vocabulary(random: () => number, size: number): string[] {
  return Array.from({ length: size }, () => {
    const syllables = 1 + Math.floor(random() * 3);
    return Array.from({ length: syllables }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join(
      '',
    );
  });
}

export interface CorpusDocument {
  name: string;
  text: string;
}

/** About `totalBytes` of markdown in documents of about `documentBytes`: headings, paragraphs, sentences. */
export function generateCorpus(totalBytes: number, documentBytes: number, seed = 42): CorpusDocument[] {
  const random = seededRandom(seed);
  const words = vocabulary(random, 5000);
  const word = () => words[Math.floor(words.length * random() ** 2.5)];
  const sentence = () => {
    const n = 8 + Math.floor(random() * 14);
    const body = Array.from({ length: n }, word).join(' ');
    return `${body.charAt(0).toUpperCase()}${body.slice(1)}.`;
  };
  const documents: CorpusDocument[] = [];
  let total = 0;
  while (total < totalBytes) {
    const parts: string[] = [];
    let size = 0;
    let section = 0;
    while (size < documentBytes) {
      const block =
        random() < 0.08
          ? `## Section ${++section}: ${word()} ${word()}`
          : Array.from({ length: 3 + Math.floor(random() * 5) }, sentence).join(' ');
      parts.push(block);
      size += block.length + 2;
    }
    const text = `# Report ${documents.length + 1}\n\n${parts.join('\n\n')}\n`;
    documents.push({ name: `report-${String(documents.length + 1).padStart(4, '0')}.md`, text });
    total += Buffer.byteLength(text);
  }
  return documents;
}
