import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TenantScope } from '@strata/tenancy';
import { AnswerRatings, type DailyRatings } from '@strata/tenants';
import { AnswerFeedbackRepository } from './answer-feedback.repository';

/** The tenants library's view of answer ratings, for its usage report. */
@Injectable()
export class AnswerRatingsCounter extends AnswerRatings {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  daily(scope: TenantScope, days: number): Promise<DailyRatings[]> {
    return AnswerFeedbackRepository.daily(this.dataSource, scope, days);
  }
}
