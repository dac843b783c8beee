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
  /** One vector per text, in order. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<EmbeddingVector[]>;
}
