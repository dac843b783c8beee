import { Command } from 'commander';
import { resolve } from 'node:path';
import { BadRequest, ErrorCode } from '@strata/core';
import {
  type LightragDataset,
  LightragImporter,
  type LightragImportReport,
  readLightragPostgres,
  readLightragWorkingDir,
} from '@strata/ingestion';
import { done } from '../cli-io';
import type { CommandRunner } from '../command-runner';
import { json } from '../output';

interface ImportOptions {
  tenant: string;
  kb: string;
  postgres?: string;
  workspace: string;
  schema: string;
  dryRun?: boolean;
  sourceEmbeddingModel?: string;
  json?: boolean;
}

/**
 * `import-lightrag <dir> --tenant T --kb K`: a LightRAG working directory into a KB; with
 * `--postgres URL [--workspace W]` instead of the directory, a workspace of LightRAG's PostgreSQL
 * storage.
 */
export function importLightragCommand(run: CommandRunner): Command {
  return new Command('import-lightrag')
    .description(
      "import a LightRAG working directory (default file storage), or a workspace of LightRAG's PostgreSQL storage, into a knowledge base: documents, chunks, entities and relations; running it again changes nothing",
    )
    .argument('[working_dir]', 'the directory LightRAG wrote (kv_store_full_docs.json, ...)')
    .requiredOption('--tenant <tenant>', 'tenant uuid or slug')
    .requiredOption('--kb <kb>', 'knowledge base uuid or slug')
    .option(
      '--postgres <url>',
      "read LightRAG's PostgreSQL storage (its lightrag_* tables) at this URL instead",
    )
    .option('--workspace <name>', "with --postgres: LightRAG's workspace", 'default')
    .option('--schema <schema>', 'with --postgres: the schema of the lightrag_* tables', 'public')
    .option('--dry-run', 'read and count, write nothing')
    .option(
      '--source-embedding-model <model>',
      "the embedding model LightRAG used: its chunk vectors are kept when this and their dimension match the KB's model",
    )
    .option('--json', 'print the report as JSON')
    .action((dir: string | undefined, options: ImportOptions) =>
      run.command(async () => {
        if ((dir === undefined) === (options.postgres === undefined)) {
          throw new BadRequest(
            ErrorCode.IMPORT_SOURCE_INVALID,
            'give either a working directory or --postgres URL, not both',
          );
        }
        const source =
          dir !== undefined ? resolve(dir) : `workspace ${options.workspace} (schema ${options.schema})`;
        const read = (): Promise<LightragDataset> =>
          dir !== undefined
            ? readLightragWorkingDir(resolve(dir))
            : readLightragPostgres({
                url: options.postgres!,
                workspace: options.workspace,
                schema: options.schema,
              });
        const importer = await run.session.get(LightragImporter);
        // The KB is found first: a mistyped --kb fails before a large source is read.
        const report = await run.session.inKnowledgeBase(options.tenant, options.kb, async (context) =>
          importer.import(context, await read(), {
            dryRun: options.dryRun === true,
            sourceEmbeddingModel: options.sourceEmbeddingModel ?? null,
            onDocument: (count, total) => {
              if (!options.json && (count % 100 === 0 || count === total))
                run.io.err(`imported ${count} of ${total} documents\n`);
            },
          }),
        );
        return done(options.json ? json(report) : describe(source, report));
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
