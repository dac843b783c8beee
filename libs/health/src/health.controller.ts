import { Controller, Get } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiDefaultResponse,
} from '@nestjs/swagger';
import {
  HealthCheckError,
  HealthCheckResult,
  HealthIndicatorResult,
  HealthCheckService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { GraphStore, RateLimitStore, VectorStore } from '@strata/storage';
import { Public } from '@strata/authz';
import { AppConfig, DomainError, ErrorCode, ErrorResponse } from '@strata/core';

@ApiTags('health')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly rateLimits: RateLimitStore,
    private readonly vectors: VectorStore,
    private readonly graph: GraphStore,
    private readonly config: AppConfig,
  ) {}

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @ApiOperation({ summary: 'Readiness: every configured store answers' })
  @ApiOkResponse({ schema: { example: { status: 'ok', info: { database: { status: 'up' } } } } })
  @ApiServiceUnavailableResponse({ description: 'SERVICE_UNAVAILABLE, naming the stores that are down' })
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', { timeout: 3000 }),
        async (): Promise<HealthIndicatorResult> => {
          if (this.config.redisUrl === null) return {};
          if (await this.rateLimits.ping()) return { redis: { status: 'up' as const } };
          throw new HealthCheckError('redis down', { redis: { status: 'down' } });
        },
        // pgvector and the PostgreSQL graph live in the database checked above: only Qdrant and Neo4j are remote.
        () => this.remoteStore('vectors', this.config.vectors.kind === 'qdrant', () => this.vectors.ping()),
        () => this.remoteStore('graph', this.config.graph.kind === 'neo4j', () => this.graph.ping()),
      ]);
    } catch (error) {
      const details = (error as { response?: { error?: Record<string, unknown> } }).response?.error ?? {};
      const down = Object.keys(details).join(', ') || 'unknown';
      throw new DomainError(503, ErrorCode.SERVICE_UNAVAILABLE, `Not ready: ${down} unavailable`);
    }
  }

  private async remoteStore(
    name: string,
    configured: boolean,
    ping: () => Promise<void>,
  ): Promise<HealthIndicatorResult> {
    if (!configured) return {};
    try {
      await ping();
      return { [name]: { status: 'up' as const } };
    } catch {
      throw new HealthCheckError(`${name} down`, { [name]: { status: 'down' } });
    }
  }
}
