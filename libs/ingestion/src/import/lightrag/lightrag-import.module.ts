import { Module } from '@nestjs/common';
import { DocumentsModule } from '@strata/documents';
import { EmbeddingSpaceModule } from '@strata/embeddings';
import { GraphModule } from '@strata/graph';
import { LightragImporter } from './lightrag-importer';

/** Importing a LightRAG working directory into a KB (the CLI's `import-lightrag`). */
@Module({
  imports: [DocumentsModule, EmbeddingSpaceModule, GraphModule],
  providers: [LightragImporter],
  exports: [LightragImporter],
})
export class LightragImportModule {}
