import { benchTenant, waitUntilIngested, withEmbeddedServer } from './bench-tenant';
import { seededRandom } from './corpus';

export const QUALITY_MODES = ['naive', 'local', 'global', 'hybrid', 'mix'] as const;

export interface QualityOptions {
  apiMain: string;
  companies: number;
}

interface ModeQuality {
  mode: string;
  /** Questions whose references include both documents the answer needs. */
  both_documents: number;
  /** Mean share of the two needed documents among the references. */
  recall: number;
  /** Mean reciprocal rank of the first needed document. */
  mrr: number;
  /** Answers (extractive: no LLM) that name the right city. */
  answer_has_city: number;
  p50_ms: number;
  /** both_documents against naive in the same run. */
  ratio: number;
}

export interface QualityReport {
  date: string;
  machine: string;
  companies: number;
  documents: number;
  questions: number;
  modes: ModeQuality[];
}

const FIRST =
  'Maria Daniel Ingrid Tomas Aisha Kenji Sofia Lukas Amara Pavel Elena Omar Hannah Rafael Yuki Nadia'.split(
    ' ',
  );
const LAST =
  'Lopez Berg Okafor Novak Tanaka Silva Haddad Fischer Moreau Kowalski Rossi Larsen Duarte Mensah'.split(' ');
const FIRM_A =
  'Northwind Bluefin Granite Silverline Redwood Harbor Aurora Summit Cobalt Evergreen Falcon Meridian'.split(
    ' ',
  );
const FIRM_B = 'Traders Analytics Group Systems Holdings Partners Labs Industries'.split(' ');
const CITIES =
  'Oslo Lisbon Porto Madrid Vienna Prague Dublin Helsinki Krakow Lyon Munich Geneva Seville Tallinn Riga Vilnius Bergen Gdansk Milan Zurich'.split(
    ' ',
  );
const FILLER = [
  'The board met twice during the last quarter.',
  'Annual reports are published every spring.',
  'Staff numbers grew steadily over the year.',
  'The firm invests in training for its teams.',
];

export interface Company {
  name: string;
  leader: string;
  city: string;
}

/** Companies, each with a leader and a head office, described in two separate documents. */
export function companyCorpus(count: number): {
  companies: Company[];
  documents: Array<{ key: string; title: string; text: string }>;
} {
  const random = seededRandom(5);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const names = new Set<string>();
  const people = new Set<string>();
  const companies: Company[] = [];
  while (companies.length < count) {
    const name = `${pick(FIRM_A)} ${pick(FIRM_B)}`;
    const leader = `${pick(FIRST)} ${pick(LAST)}`;
    if (names.has(name) || people.has(leader)) continue;
    names.add(name);
    people.add(leader);
    companies.push({ name, leader, city: pick(CITIES) });
  }
  const documents = companies.flatMap((c, i) => [
    {
      key: `people-${i}`,
      title: `Leadership of ${c.name}`,
      text: `# Leadership\n\n${c.leader} is the chief executive of ${c.name}. ${pick(FILLER)} ${pick(FILLER)}`,
    },
    {
      key: `offices-${i}`,
      title: `Offices of ${c.name}`,
      text: `# Offices\n\n${c.name} is headquartered in ${c.city}. ${pick(FILLER)} ${pick(FILLER)}`,
    },
  ]);
  return { companies, documents };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Retrieval quality of each mode on questions that need two documents ("where is the company X
 * leads headquartered?": one document names the leader, another the office), embedded mode with
 * no model server. Naive is the baseline of the run.
 */
export async function qualityBenchmark(options: QualityOptions): Promise<QualityReport> {
  const { companies, documents } = companyCorpus(options.companies);
  return withEmbeddedServer(options.apiMain, 'quality', async (server) => {
    const { admin, tenantId, createKnowledgeBase } = await benchTenant(server);
    const kbId = await createKnowledgeBase();
    const base = `/api/v1/tenants/${tenantId}/knowledge-bases/${kbId}`;
    const ids = new Map<string, string>();
    for (const doc of documents) {
      const accepted = await admin.call<{ documents: Array<{ id: string }> }>('POST', `${base}/documents`, {
        title: doc.title,
        text: doc.text,
      });
      ids.set(doc.key, accepted.documents[0].id);
    }
    await waitUntilIngested(admin, `${base}/documents`);

    const results: ModeQuality[] = [];
    for (const mode of QUALITY_MODES) {
      let both = 0;
      let recall = 0;
      let mrr = 0;
      let hasCity = 0;
      const times: number[] = [];
      for (const [i, company] of companies.entries()) {
        const needed = [ids.get(`people-${i}`)!, ids.get(`offices-${i}`)!];
        const started = performance.now();
        const res = await admin.call<{ answer: string; references: Array<{ document_id: string }> }>(
          'POST',
          `${base}/query`,
          {
            query: `Where is the company that ${company.leader} leads headquartered?`,
            mode,
            chunk_top_k: 10,
          },
        );
        times.push(performance.now() - started);
        const found = res.references.map((r) => r.document_id);
        const hits = needed.filter((id) => found.includes(id)).length;
        if (hits === 2) both++;
        recall += hits / 2;
        const first = found.findIndex((id) => needed.includes(id));
        mrr += first === -1 ? 0 : 1 / (first + 1);
        if (res.answer.includes(company.city)) hasCity++;
      }
      times.sort((a, b) => a - b);
      const n = companies.length;
      results.push({
        mode,
        both_documents: round(both / n),
        recall: round(recall / n),
        mrr: round(mrr / n),
        answer_has_city: round(hasCity / n),
        p50_ms: Math.round(times[Math.floor(n / 2)]),
        ratio: 0,
      });
    }
    const naive = results[0].both_documents || 1 / companies.length;
    for (const r of results) r.ratio = round(r.both_documents / naive);
    return {
      date: new Date().toISOString().slice(0, 10),
      machine: `${process.platform} ${process.arch}, node ${process.version}`,
      companies: companies.length,
      documents: documents.length,
      questions: companies.length,
      modes: results,
    };
  });
}

export function qualityTable(report: QualityReport): string {
  return [
    `Two-hop questions over ${report.documents} documents about ${report.companies} companies, embedded mode, no model server (${report.date}, ${report.machine}); ratio = both-documents rate against naive in the same run.`,
    '',
    '| mode | both documents | recall | MRR | answer names the city | p50 ms | ratio |',
    '|---|---|---|---|---|---|---|',
    ...report.modes.map(
      (m) =>
        `| ${m.mode} | ${m.both_documents} | ${m.recall} | ${m.mrr} | ${m.answer_has_city} | ${m.p50_ms} | ${m.ratio} |`,
    ),
  ].join('\n');
}
