import { Client } from 'pg';
import { EmbeddedPostgres } from '../relational/embedded-postgres';
import {
  queryEncoder,
  sparseIndices,
  toBinary,
  toSparseBinary,
  toSparseLiteral,
  vectorEncoder,
} from './pgvector-encoding';

describe('sparseIndices', () => {
  it('lists the non-zero dimensions while at most a quarter are set', () => {
    expect(sparseIndices([0, 0.5, 0, 0, 0, 0, -1, 0])).toEqual([1, 6]);
    expect(sparseIndices([0, 0, 0, 0])).toEqual([]);
    expect(sparseIndices([0, 0.5, 0, 0, 0, 1, -1, 0])).toBeNull();
    expect(sparseIndices([1, 2, 3])).toBeNull();
  });
});

describe('vector encoders', () => {
  const mostlyZero = [0, 0, 2, 0, 0, 0, 0, 0];
  const full = [1, 2, 3, 4, 5, 6, 7, 8];

  it('keep a mostly-zero vector sparse and any other dense, in text or binary', () => {
    expect(vectorEncoder(false)(mostlyZero)).toEqual({ dense: null, sparse: '{3:2}/8' });
    expect(vectorEncoder(false)(full)).toEqual({ dense: '[1,2,3,4,5,6,7,8]', sparse: null });
    expect(vectorEncoder(true)(mostlyZero).sparse).toEqual(toSparseBinary(mostlyZero, [2]));
    expect(vectorEncoder(true)(full).dense).toEqual(toBinary(full));
  });

  it('give a question both forms, to compare with either kind of row', () => {
    expect(queryEncoder(false)(full)).toEqual({
      dense: '[1,2,3,4,5,6,7,8]',
      sparse: toSparseLiteral(full, [0, 1, 2, 3, 4, 5, 6, 7]),
    });
    expect(queryEncoder(true)(mostlyZero)).toEqual({
      dense: toBinary(mostlyZero),
      sparse: toSparseBinary(mostlyZero, [2]),
    });
  });
});

describe("pgvector's binary forms", () => {
  let server: EmbeddedPostgres;
  let client: Client;
  beforeAll(async () => {
    server = await EmbeddedPostgres.start(null);
    client = new Client({ host: server.endpoint.host, port: server.endpoint.port, user: 'postgres' });
    await client.connect();
    await client.query('CREATE EXTENSION IF NOT EXISTS vector');
  });
  afterAll(async () => {
    await client.end();
    await server.stop();
  });
  const asText = async (sql: string, value: Buffer) => (await client.query(sql, [value])).rows[0].v;

  it('a dense vector reads back as the same vector', async () => {
    expect(await asText('SELECT $1::vector(3)::text AS v', toBinary([0.5, -1.25, 3]))).toBe('[0.5,-1.25,3]');
    // A view into a larger Float32Array, as the CPU pool's embeddings arrive.
    const view = new Float32Array([9, 9, 0.25, -2, 1e-3, 9]).subarray(2, 5);
    expect(await asText('SELECT $1::vector(3)::text AS v', toBinary(view))).toBe('[0.25,-2,0.001]');
  });

  it('a sparse vector reads back as the same vector, and as its text form says', async () => {
    const vector = new Float32Array([0, 0.25, 0, 0, 0, 0, 0, -3]);
    const indices = sparseIndices(vector)!;
    const sql = 'SELECT $1::sparsevec(8)::text AS v';
    expect(await asText(sql, toSparseBinary(vector, indices))).toBe('{2:0.25,8:-3}/8');
    expect(toSparseLiteral(vector, indices)).toBe('{2:0.25,8:-3}/8');
    const dense = await asText('SELECT $1::sparsevec(8)::vector::text AS v', toSparseBinary(vector, indices));
    expect(dense).toBe('[0,0.25,0,0,0,0,0,-3]');
  });
});
