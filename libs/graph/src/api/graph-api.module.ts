import { Module } from '@nestjs/common';
import { EmbeddingSpaceModule } from '@strata/embeddings';
import { ProvidersModule } from '@strata/providers';
import { TenantSettingsModule } from '@strata/tenants';
import { GraphModule } from '../graph.module';
import { GraphController } from './graph.controller';
import { GraphEditService } from './graph-edit.service';
import { GraphReadService } from './graph-read.service';
import { VisibleGraph } from '../visibility/visible-graph';

/** The graph routes of the API (the GraphStore and VectorStore ports are global). */
@Module({
  imports: [GraphModule, EmbeddingSpaceModule, ProvidersModule, TenantSettingsModule],
  controllers: [GraphController],
  providers: [GraphReadService, GraphEditService, VisibleGraph],
  // The LightRAG-compatible graph routes (libs/compat) read through the same service.
  exports: [GraphReadService, GraphEditService],
})
export class GraphApiModule {}
