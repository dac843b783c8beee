/**
 * One embedding: a plain array from HTTP providers, a Float32Array view from the CPU pool (bulk
 * ingestion passes them straight to the store without copying them into number arrays).
 */
export type EmbeddingVector = ArrayLike<number>;

/** Turns texts into vectors of one fixed dimension; `model` names the space the vectors live in. */
export interface Embedder {
  readonly model: string;
  /** Known up front for the lexical embedder; for HTTP providers after the first call. */
  readonly dimension: number | null;
  /**
   * One vector per text, in order. A provider that bills for tokens tells `onTokens` how many each
   * of its calls took (its own count, or an estimate when it gives none); the embedded embedder,
   * which costs nothing, never calls it.
   */
  embed(
    texts: readonly string[],
    signal?: AbortSignal,
    onTokens?: (tokens: number) => void,
  ): Promise<EmbeddingVector[]>;
}
