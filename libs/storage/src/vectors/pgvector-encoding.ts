import { endianness } from 'node:os';

/**
 * How a vector travels to pgvector and how it is kept. Most of a lexical embedding of a short text
 * is zeros (an entity's name and description: ~95 of 1,024 dimensions set), and pgvector's
 * `sparsevec` keeps only the others: a fifth of the bytes, and in PGlite measured 2.3x faster to
 * write and 2.7x faster to scan than the same vector dense (which pglz then compresses). A vector
 * with more than a quarter of its dimensions set stays dense: below that share the sparse form
 * is at most half the size; above it the saving shrinks while its scan loses to the dense loop.
 */
export const SPARSE_SHARE = 0.25;

/** The indices of a vector's non-zero values, when few enough of them are set to keep it sparse. */
export const sparseIndices = (vector: ArrayLike<number>): number[] | null =>
  nonZeroIndices(vector, Math.floor(vector.length * SPARSE_SHARE));

/** The indices of a vector's non-zero values; null as soon as there are more than `limit`. */
function nonZeroIndices(vector: ArrayLike<number>, limit = Infinity): number[] | null {
  const indices: number[] = [];
  for (let i = 0; i < vector.length; i++) {
    if (vector[i] === 0) continue;
    if (indices.length === limit) return null;
    indices.push(i);
  }
  return indices;
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** pgvector's text form of a dense vector: `[1,0,2.5]`. */
export const toLiteral = (vector: ArrayLike<number>): string => `[${Array.from(vector).join(',')}]`;

/**
 * pgvector's binary form (its `vector_recv`): dimension and a zero as int16, then float4s,
 * big-endian. Built as one Float32Array (a slot ahead for the header) byte-swapped in place: a
 * write per float was the single largest cost of bulk vector writes on the API thread.
 */
export function toBinary(vector: ArrayLike<number>): Buffer {
  const floats = new Float32Array(vector.length + 1);
  floats.set(vector, 1);
  const buffer = Buffer.from(floats.buffer);
  if (LITTLE_ENDIAN) buffer.swap32();
  buffer.writeInt16BE(vector.length, 0);
  buffer.writeInt16BE(0, 2);
  return buffer;
}

/** pgvector's text form of a sparse vector: `{1:0.5,7:-2}/1024`, indices from 1. */
export function toSparseLiteral(vector: ArrayLike<number>, indices: readonly number[]): string {
  return `{${indices.map((i) => `${i + 1}:${vector[i]}`).join(',')}}/${vector.length}`;
}

/**
 * pgvector's binary form of a sparse vector (its `sparsevec_recv`): dimension, count and a zero
 * as int32, then the indices (from 0) as int32 and the values as float4, all big-endian.
 */
export function toSparseBinary(vector: ArrayLike<number>, indices: readonly number[]): Buffer {
  const words = new Int32Array(3 + 2 * indices.length);
  const values = new Float32Array(words.buffer, (3 + indices.length) * 4, indices.length);
  words[0] = vector.length;
  words[1] = indices.length;
  indices.forEach((index, k) => {
    words[3 + k] = index;
    values[k] = vector[index];
  });
  const buffer = Buffer.from(words.buffer);
  if (LITTLE_ENDIAN) buffer.swap32();
  return buffer;
}

/** A vector as the parameters of a statement carry it: one of the two forms, the other null. */
export interface EncodedVector {
  dense: string | Buffer | null;
  sparse: string | Buffer | null;
}

/** Encodes vectors in the form they are kept in, as text or (where the client sends it) binary. */
export function vectorEncoder(binary: boolean): (vector: ArrayLike<number>) => EncodedVector {
  return (vector) => {
    const indices = sparseIndices(vector);
    if (indices === null) return { dense: binary ? toBinary(vector) : toLiteral(vector), sparse: null };
    return {
      dense: null,
      sparse: binary ? toSparseBinary(vector, indices) : toSparseLiteral(vector, indices),
    };
  };
}

/** A query vector in both forms: it is compared with dense and sparse rows alike. */
export function queryEncoder(binary: boolean): (vector: ArrayLike<number>) => EncodedVector {
  return (vector) => {
    const indices = nonZeroIndices(vector)!;
    return binary
      ? { dense: toBinary(vector), sparse: toSparseBinary(vector, indices) }
      : { dense: toLiteral(vector), sparse: toSparseLiteral(vector, indices) };
  };
}
