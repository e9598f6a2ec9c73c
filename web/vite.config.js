import { defineConfig } from 'vite';

// The C++ server serves dist/index.html at "/" and the built files under
// "/assets/*"; the console uses hash routes (#/overview), so no SPA fallback
// is needed on the server. JSX is compiled by esbuild directly (no React
// plugin): the automatic runtime imports react/jsx-runtime by itself.
const apiTarget = process.env.TOBOPS_URL || 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  esbuild: {
    jsx: 'automatic',
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/v1': { target: apiTarget, changeOrigin: false },
    },
  },
});
