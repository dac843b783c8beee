import { Controller, Get } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiDefaultResponse,
} from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '@strata/authz';
import { DomainError, ErrorCode, ErrorResponse } from '@strata/core';

@ApiTags('health')
@ApiDefaultResponse({ type: ErrorResponse, description: 'Any error, in the one error shape' })
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
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
      return await this.health.check([() => this.database.pingCheck('database', { timeout: 3000 })]);
    } catch (error) {
      const details = (error as { response?: { error?: Record<string, unknown> } }).response?.error ?? {};
      const down = Object.keys(details).join(', ') || 'unknown';
      throw new DomainError(503, ErrorCode.SERVICE_UNAVAILABLE, `Not ready: ${down} unavailable`);
    }
  }
}
