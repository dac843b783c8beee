/**
 * compromise's tokenizer and tagger without its third layer (phrase chunks, people/places/topics
 * matching), which extraction does not use and which cost a fifth of its time. The package exports
 * it as `compromise/two`; this project's module resolution ("node") does not read `exports`, so
 * the part of its API used here is declared.
 */
declare module 'compromise/two' {
  export interface TaggedTerm {
    text: string;
    /** What follows the word up to the next one: punctuation and spaces (`text` holds none). */
    post: string;
    normal: string;
    tags: string[];
  }
  interface TaggedText {
    json(): Array<{ text: string; terms: TaggedTerm[] }>;
  }
  const nlp: (text: string) => TaggedText;
  export default nlp;
}
