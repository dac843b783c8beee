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
import { RateLimitStore, VectorStore } from '@strata/storage';
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
        // pgvector lives in the database checked above (or in a local PGlite): only Qdrant is remote.
        async (): Promise<HealthIndicatorResult> => {
          if (this.config.vectors.kind !== 'qdrant') return {};
          try {
            await this.vectors.ping();
            return { vectors: { status: 'up' as const } };
          } catch {
            throw new HealthCheckError('vectors down', { vectors: { status: 'down' } });
          }
        },
      ]);
    } catch (error) {
      const details = (error as { response?: { error?: Record<string, unknown> } }).response?.error ?? {};
      const down = Object.keys(details).join(', ') || 'unknown';
      throw new DomainError(503, ErrorCode.SERVICE_UNAVAILABLE, `Not ready: ${down} unavailable`);
    }
  }
}
