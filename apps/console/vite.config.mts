import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The console is served by the API under /console from dist/console; it calls only /api/v1. */
export default defineConfig({
  root: here('.'),
  base: '/console/',
  // Brotli and gzip copies beside each asset, made once at build time: the API serves the one the
  // browser accepts without compressing on every request.
  plugins: [
    compression({ algorithms: ['brotliCompress', 'gzip'], include: /\.(js|css|svg)$/, logLevel: 'silent' }),
  ],
  build: {
    outDir: here('../../dist/console'),
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: {
      onwarn(warning, warn) {
        // react-router marks its modules "use client" for server-component bundlers; this is a client bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    // `npx vite apps/console` for development, next to `npm run start:dev`.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
