import { Controller, Get, Headers, Res } from '@nestjs/common';
import type { Response } from 'express';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '@strata/authz';
import {
  AppConfig,
  documentsByStatus,
  ErrorCode,
  metricsRegistry,
  metricsScrapeAllowed,
  METRICS_TOKEN_REQUIRED,
  queueDepth,
  Unauthenticated,
} from '@strata/core';
import { countDocumentsByStatus, DOCUMENT_STATUSES } from '@strata/documents';
import { JobQueue } from '@strata/storage';

@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly config: AppConfig,
    private readonly queue: JobQueue,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get()
  @Public()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Prometheus metrics of this process (METRICS_TOKEN, when set, as a bearer token)',
  })
  @ApiOkResponse({ description: 'The Prometheus text format', schema: { type: 'string' } })
  async scrape(
    @Res({ passthrough: true }) res: Response,
    @Headers('authorization') authorization?: string,
  ): Promise<string> {
    if (!metricsScrapeAllowed(authorization, this.config.metricsToken)) {
      throw new Unauthenticated(ErrorCode.UNAUTHENTICATED, METRICS_TOKEN_REQUIRED);
    }
    await this.readGauges();
    res.setHeader('Content-Type', metricsRegistry.contentType);
    return metricsRegistry.metrics();
  }

  /** Gauges read from the stores at scrape: platform-wide counts, with no tenant in them. */
  private async readGauges(): Promise<void> {
    queueDepth.set(await this.queue.depth());
    const counts = await countDocumentsByStatus(this.dataSource);
    for (const status of DOCUMENT_STATUSES) documentsByStatus.set({ status }, counts.get(status) ?? 0);
  }
}
