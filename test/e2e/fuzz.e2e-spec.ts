import { randomUUID } from 'node:crypto';
import * as fc from 'fast-check';
import { ErrorCode } from '@strata/core';
import {
  addMember,
  addTextDocument,
  bearer,
  createKnowledgeBase,
  createTenant,
  KnowledgeBase,
  loginAdmin,
  Tenant,
} from '../factories';
import { describeE2E, startTestApp, TestApp } from '../support/test-app';

/** Printed with any failure: `FUZZ_SEED=<seed>` replays the run. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
/** Generated inputs per route and caller: ~70 routes x 3 callers x this, in seconds per mode. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 4);
const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

interface Operation {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  pathParams: string[];
  queryParams: string[];
  /** When the route takes a JSON body: its required fields with accepted values, and all its fields. */
  body: { valid: Record<string, unknown>; fields: string[] } | null;
}

type Caller = 'anonymous' | 'viewer' | 'admin';

/** Text that has broken servers: NUL, lone surrogates, injections, traversal, long and empty. */
const nastyString = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udc00x',
    '💥',
    '',
    ' ',
    '%00',
    '../../etc/passwd',
    "' OR 1=1 --",
    '{{7*7}}',
    '<script>alert(1)</script>',
    '0193a8f1-1111-7aaa-8bbb-123456789abc',
    '-1',
    '1e309',
    'x'.repeat(3000),
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** Any JSON-ish value, of the wrong type as often as not, a few levels deep. */
const nastyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString,
    fc.integer(),
    fc.double(),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1e308),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(nastyString, tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** Nesting past any DTO's: an array 200 levels deep. */
const DEEP_ARRAY: unknown = JSON.parse(`${'['.repeat(200)}${']'.repeat(200)}`);
const deepValue = fc.constant(DEEP_ARRAY);

/**
 * A body for a route: mostly its required fields with accepted values and one field (any, or an
 * unknown one) with a bad value, so that what lies past validation meets it; else anything at all.
 */
const bodyFor = ({
  valid,
  fields,
}: {
  valid: Record<string, unknown>;
  fields: string[];
}): fc.Arbitrary<unknown> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...fields, 'unknown_field'),
          fc.oneof({ weight: 3, arbitrary: nastyString }, nastyValue, deepValue),
        )
        .map(([field, value]) => ({ ...valid, [field]: value })),
    },
    { weight: 1, arbitrary: nastyValue },
    { weight: 1, arbitrary: deepValue },
  );

/** A path segment: usually the real resource (so the route's own checks run), else something else. */
const segmentFor = (real: string | undefined): fc.Arbitrary<string> =>
  real === undefined
    ? fc.oneof(nastyString, fc.uuid())
    : fc.oneof({ weight: 3, arbitrary: fc.constant(real) }, { weight: 1, arbitrary: nastyString });

/** Percent-encodes every UTF-8 byte (a lone surrogate goes as U+FFFD's, as a browser sends it). */
const percentEncoded = (text: string) =>
  [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  format?: string;
  minimum?: number;
  minLength?: number;
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
};

function operationsOf(document: {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, Schema> };
}): Operation[] {
  const resolve = (schema: Schema): Schema =>
    schema.$ref ? document.components.schemas[schema.$ref.split('/').pop()!] : schema;
  /** A value the field's schema accepts, as far as its OpenAPI description says. */
  const validValue = (raw: Schema, depth = 0): unknown => {
    const schema = resolve(raw);
    if (schema.enum?.length) return schema.enum[0];
    switch (schema.type) {
      case 'integer':
      case 'number':
        return schema.minimum ?? 1;
      case 'boolean':
        return false;
      case 'array':
        return [];
      case 'string':
        if (schema.format === 'email') return 'fuzz@example.test';
        if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
        return 'fuzz'.padEnd(Math.max(4, schema.minLength ?? 0), 'z');
      default:
        return depth < 3 && schema.properties ? validBody(schema, depth + 1) : {};
    }
  };
  /** The required fields of a body, each with an accepted value. */
  const validBody = (raw: Schema, depth = 0): Record<string, unknown> => {
    const schema = resolve(raw);
    const required = new Set(schema.required ?? []);
    return Object.fromEntries(
      Object.entries(schema.properties ?? {})
        .filter(([name]) => required.has(name))
        .map(([name, field]) => [name, validValue(field, depth)]),
    );
  };
  const fieldsOf = (raw: Schema): string[] => Object.keys(resolve(raw).properties ?? {});
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, spec]) => {
      const parameters = (spec.parameters as Array<{ name: string; in: string }> | undefined) ?? [];
      const json = (spec.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)
        ?.content?.['application/json'];
      return {
        method: method as Operation['method'],
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        body: json ? { valid: validBody(json.schema ?? {}), fields: fieldsOf(json.schema ?? {}) } : null,
      };
    }),
  );
}

/**
 * Every route of the OpenAPI document, as an anonymous caller, a viewer and a tenant admin, with
 * generated bad input (wrong types, NUL and lone surrogates, huge and deep values, unknown fields,
 * bad ids, bad encodings): no answer may be a 5xx, and every error has the documented shape with a
 * known code. Seeded and bounded (FUZZ_SEED, FUZZ_RUNS); a failure prints the seed and the request.
 */
describeE2E('fuzzing every route with bad input', () => {
  let t: TestApp;
  let tenant: Tenant;
  let kb: KnowledgeBase;
  let documentId: string;
  let operations: Operation[];
  const tokens: Partial<Record<Caller, string>> = {};

  beforeAll(async () => {
    t = await startTestApp();
    const platform = await loginAdmin(t.http);
    tenant = await createTenant(t.http, platform);
    tokens.admin = (await addMember(t.http, platform, tenant, { role: 'admin' })).token;
    tokens.viewer = (await addMember(t.http, tokens.admin, tenant, { role: 'viewer' })).token;
    kb = await createKnowledgeBase(t.http, tokens.admin, tenant);
    documentId = await addTextDocument(t.http, tokens.admin, tenant, kb, 'Northwind Traders is in Oslo.');
    operations = operationsOf((await t.http.get('/docs/openapi.json').expect(200)).body);
  });
  afterAll(() => t.close());

  /** The real id a path parameter names, where there is one; deletes aim at ids that do not exist. */
  const realParam = (name: string, method: string): string | undefined => {
    if (name === 'tenantId') return tenant.id;
    if (method === 'delete') return undefined;
    if (name === 'kbId') return kb.id;
    if (name === 'documentId') return documentId;
    return undefined;
  };

  /**
   * Requests every route gets besides the random ones: its real path with, one at a time, each
   * body field and each query parameter holding a NUL or a lone surrogate, and a body nested deep.
   */
  const examplesOf = (operation: Operation) => {
    const path = operation.pathParams.map((name) => realParam(name, operation.method) ?? randomUUID());
    const inputs: Array<{ path: string[]; query: Record<string, string>; body: unknown }> = [];
    for (const bad of ['a\u0000b', '\ud800']) {
      for (const name of operation.queryParams)
        inputs.push({ path, query: { [name]: bad }, body: undefined });
      if (operation.body === null) inputs.push({ path, query: {}, body: undefined });
      else
        for (const field of operation.body.fields)
          inputs.push({ path, query: {}, body: { ...operation.body.valid, [field]: bad } });
    }
    if (operation.body !== null) inputs.push({ path, query: {}, body: DEEP_ARRAY });
    return inputs.map((input) => [input] as [typeof input]);
  };

  const expectNoServerError = (
    res: { status: number; body: unknown; headers: Record<string, string> },
    described: string,
  ) => {
    if (res.status >= 500)
      throw new Error(`${described} answered ${res.status}: ${JSON.stringify(res.body)}`);
    if (res.status < 400 || !String(res.headers['content-type'] ?? '').includes('json')) return;
    const body = res.body as {
      statusCode?: unknown;
      code?: unknown;
      message?: unknown;
      error?: unknown;
      detail?: unknown;
    };
    // The LightRAG-compatible routes answer in LightRAG's error shape (`detail`), with the same codes.
    if (described.includes('/lightrag/') && typeof body.detail === 'string') {
      if (!KNOWN_CODES.has(String(body.code)))
        throw new Error(
          `${described} answered ${res.status} outside LightRAG's error shape: ${JSON.stringify(body)}`,
        );
      return;
    }
    // The Ollama-compatible routes answer in Ollama's error shape, with the same codes.
    if (described.includes('/ollama/') && typeof body.error === 'string') {
      if (!KNOWN_CODES.has(String(body.code)))
        throw new Error(
          `${described} answered ${res.status} outside Ollama's error shape: ${JSON.stringify(body)}`,
        );
      return;
    }
    // The OpenAI-compatible routes answer in OpenAI's error shape, with the same codes.
    const openAi =
      described.includes('/openai/') && typeof body.error === 'object' && body.error !== null
        ? (body.error as typeof body)
        : undefined;
    if (openAi !== undefined) {
      if (typeof openAi.message !== 'string' || !KNOWN_CODES.has(String(openAi.code)))
        throw new Error(
          `${described} answered ${res.status} outside OpenAI's error shape: ${JSON.stringify(body)}`,
        );
      return;
    }
    if (
      body.statusCode !== res.status ||
      typeof body.message !== 'string' ||
      !KNOWN_CODES.has(String(body.code))
    )
      throw new Error(`${described} answered ${res.status} outside the error shape: ${JSON.stringify(body)}`);
  };

  it('answers no generated request with a 5xx, and every error in the documented shape', async () => {
    expect(operations.length).toBeGreaterThan(40);
    for (const operation of operations) {
      for (const caller of ['anonymous', 'viewer', 'admin'] as const) {
        const input = fc.record({
          path: fc.tuple(
            ...operation.pathParams.map((name) => segmentFor(realParam(name, operation.method))),
          ),
          query: fc.record(Object.fromEntries(operation.queryParams.map((name) => [name, nastyString])), {
            requiredKeys: [],
          }),
          body: operation.body === null ? fc.constant(undefined) : bodyFor(operation.body),
        });
        await fc.assert(
          fc.asyncProperty(input, async ({ path, query, body }) => {
            let url = operation.path;
            operation.pathParams.forEach((name, i) => {
              url = url.replace(`{${name}}`, percentEncoded(path[i] as string));
            });
            const search = Object.entries(query as Record<string, string>)
              .map(([name, value]) => `${name}=${percentEncoded(value)}`)
              .join('&');
            if (search) url = `${url}?${search}`;
            let request = t.http[operation.method](url);
            if (tokens[caller]) request = request.set(bearer(tokens[caller]!));
            // Serialised here: the client sends only objects and strings itself, and JSON.stringify
            // writes a lone surrogate as an escape, as a client in another language would.
            if (body !== undefined)
              request = request.set('Content-Type', 'application/json').send(JSON.stringify(body));
            const described = `${caller} ${operation.method.toUpperCase()} ${url} ${JSON.stringify({ query, body }).slice(0, 500)} (FUZZ_SEED=${SEED})`;
            expectNoServerError(await request, described);
          }),
          { seed: SEED, numRuns: RUNS, endOnFailure: true, examples: examplesOf(operation) },
        );
      }
    }
  }, 600_000);

  it('answers bodies that are not what their headers say with a 4xx, on every route that takes one', async () => {
    const raw: Array<[string, Record<string, string>, Buffer]> = [
      ['truncated JSON', { 'Content-Type': 'application/json' }, Buffer.from('{"name": "x",')],
      [
        'invalid UTF-8',
        { 'Content-Type': 'application/json' },
        Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      ],
      [
        'a gzip header on a plain body',
        { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
        Buffer.from('{"name": "x"}'),
      ],
      [
        'an unknown encoding',
        { 'Content-Type': 'application/json', 'Content-Encoding': 'br2' },
        Buffer.from('{}'),
      ],
      ['text for JSON', { 'Content-Type': 'text/plain' }, Buffer.from('name=x')],
      ['a JSON string', { 'Content-Type': 'application/json' }, Buffer.from('"just a string"')],
    ];
    for (const operation of operations.filter((o) => o.body !== null)) {
      let url = operation.path;
      for (const name of operation.pathParams)
        url = url.replace(
          `{${name}}`,
          realParam(name, operation.method) ?? '00000000-0000-4000-8000-000000000000',
        );
      for (const caller of ['anonymous', 'admin'] as const)
        for (const [what, headers, payload] of raw) {
          let request = t.http[operation.method](url).set(headers);
          if (tokens[caller]) request = request.set(bearer(tokens[caller]!));
          expectNoServerError(
            await request.send(payload),
            `${caller} ${operation.method.toUpperCase()} ${url} with ${what}`,
          );
        }
    }
  }, 300_000);
});
