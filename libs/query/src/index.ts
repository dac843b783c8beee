export * from './retrieval/reciprocal-rank-fusion';
export * from './answer/extractive-answer';
export * from './dto/query.dto';
export * from './query.service';
export * from './query.module';
export * from './query.policies';
export * from './stream/server-sent-events';
export * from './stream/streamed-answer';
