import { Module } from '@nestjs/common';
import { ProvidersModule } from '@strata/providers';
import { GraphBuilder } from './graph-builder.service';
import { GraphMerger } from './merge/graph-merger.service';

/** Building and maintaining knowledge graphs (the GraphStore and VectorStore ports are global). */
@Module({
  imports: [ProvidersModule],
  providers: [GraphBuilder, GraphMerger],
  exports: [GraphBuilder, GraphMerger],
})
export class GraphModule {}
