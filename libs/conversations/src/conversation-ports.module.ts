import { Global, Module } from '@nestjs/common';
import { AnswerRatings } from '@strata/tenants';
import { AnswerRatingsCounter } from './feedback/answer-ratings.adapter';

/**
 * What the conversations library provides to the libraries below it: answer ratings for the
 * tenants' usage report (`AnswerRatings`). Global like DocumentPortsModule; every app with the
 * tenants module imports it.
 */
@Global()
@Module({
  providers: [{ provide: AnswerRatings, useClass: AnswerRatingsCounter }],
  exports: [AnswerRatings],
})
export class ConversationPortsModule {}
