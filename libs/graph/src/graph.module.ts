import { Module } from '@nestjs/common';
import { ProvidersModule } from '@strata/providers';
import { GraphBuilder } from './graph-builder.service';
import { GraphSync } from './merge/graph-sync.service';

/** Building and maintaining knowledge graphs (the GraphStore and VectorStore ports are global). */
@Module({
  imports: [ProvidersModule],
  providers: [GraphBuilder, GraphSync],
  exports: [GraphBuilder, GraphSync],
})
export class GraphModule {}
