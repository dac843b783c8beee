import { Module } from '@nestjs/common';
import { GraphController } from './graph.controller';
import { GraphReadService } from './graph-read.service';

/** The graph routes of the API (the GraphStore port is global). */
@Module({ controllers: [GraphController], providers: [GraphReadService] })
export class GraphApiModule {}
