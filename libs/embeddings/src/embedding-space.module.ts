import { Module } from '@nestjs/common';
import { ProvidersModule } from '@strata/providers';
import { TenantSettingsModule } from '@strata/tenants';
import { EmbeddingSpaceService } from './embedding-space.service';

/** Which embedder a KB uses and its vector space: shared by ingestion and query. */
@Module({
  imports: [ProvidersModule, TenantSettingsModule],
  providers: [EmbeddingSpaceService],
  exports: [EmbeddingSpaceService],
})
export class EmbeddingSpaceModule {}
