import { Module } from '@nestjs/common';
import { ProvidersModule } from '@strata/providers';
import { TenantSettingsModule } from '@strata/tenants';
import { GraphBuilder } from './graph-builder.service';
import { GraphMerger } from './merge/graph-merger.service';

/** Building and maintaining knowledge graphs (the GraphStore and VectorStore ports are global). */
@Module({
  imports: [ProvidersModule, TenantSettingsModule],
  providers: [GraphBuilder, GraphMerger],
  exports: [GraphBuilder, GraphMerger],
})
export class GraphModule {}
