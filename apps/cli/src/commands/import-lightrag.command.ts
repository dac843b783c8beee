import { Command } from 'commander';
import { resolve } from 'node:path';
import { LightragImporter, type LightragImportReport, readLightragWorkingDir } from '@strata/ingestion';
import { done } from '../cli-io';
import type { CommandRunner } from '../command-runner';
import { json } from '../output';

/** `import-lightrag <dir> --tenant T --kb K`: a LightRAG working directory into a KB. */
export function importLightragCommand(run: CommandRunner): Command {
  return new Command('import-lightrag')
    .description(
      'import a LightRAG working directory (default file storage) into a knowledge base: documents, chunks, entities and relations; running it again changes nothing',
    )
    .argument('<working_dir>', 'the directory LightRAG wrote (kv_store_full_docs.json, ...)')
    .requiredOption('--tenant <tenant>', 'tenant uuid or slug')
    .requiredOption('--kb <kb>', 'knowledge base uuid or slug')
    .option('--dry-run', 'read and count, write nothing')
    .option(
      '--source-embedding-model <model>',
      "the embedding model LightRAG used: its chunk vectors are kept when this and their dimension match the KB's model",
    )
    .option('--json', 'print the report as JSON')
    .action(
      (
        dir: string,
        options: {
          tenant: string;
          kb: string;
          dryRun?: boolean;
          sourceEmbeddingModel?: string;
          json?: boolean;
        },
      ) =>
        run.command(async () => {
          const path = resolve(dir);
          const importer = await run.session.get(LightragImporter);
          // The KB is found first: a mistyped --kb fails before a large directory is read.
          const report = await run.session.inKnowledgeBase(options.tenant, options.kb, async (context) =>
            importer.import(context, await readLightragWorkingDir(path), {
              dryRun: options.dryRun === true,
              sourceEmbeddingModel: options.sourceEmbeddingModel ?? null,
              onDocument: (count, total) => {
                if (!options.json && (count % 100 === 0 || count === total))
                  run.io.err(`imported ${count} of ${total} documents\n`);
              },
            }),
          );
          return done(options.json ? json(report) : describe(path, report));
        }),
    );
}

function describe(path: string, report: LightragImportReport): string {
  const { source } = report;
  const verb = report.dryRun ? 'would import' : 'imported';
  const lines = [
    `${path}: ${source.documents} documents, ${source.chunks} chunks, ${source.entities} entities, ${source.relations} relations`,
    `${verb} ${report.imported} documents, ${report.unchanged} already in the knowledge base, ${report.queued} ${report.dryRun ? 'to queue' : 'queued'} for ingestion (not processed in LightRAG), ${report.skipped.length} skipped`,
  ];
  if (!report.dryRun) {
    lines.push(
      `${report.chunks} chunks (vectors: ${report.vectors.reused} kept from LightRAG, ${report.vectors.embedded} embedded), ${report.entityMentions} entity and ${report.relationMentions} relation mentions`,
    );
  }
  lines.push(
    `the knowledge base's graph: ${report.graph.entities} entities, ${report.graph.relations} relations`,
  );
  for (const skipped of report.skipped) lines.push(`skipped ${skipped.id}: ${skipped.reason}`);
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n');
}
