import { Global, Module } from '@nestjs/common';
import { join } from 'node:path';
import { AppConfig } from '@strata/core';
import { BlobStore } from './blobs.port';
import { FsBlobStore } from './fs-blobs.adapter';

/** Provides the BlobStore port: files under BLOB_DIR (default DATA_DIR/blobs). */
@Global()
@Module({
  providers: [
    {
      provide: BlobStore,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new FsBlobStore(config.blobDir ?? join(config.dataDir, 'blobs')),
    },
  ],
  exports: [BlobStore],
})
export class BlobsModule {}
