import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// Built by Maven (exec-maven-plugin, generate-resources) into the service's static resources.
export default defineConfig({
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../../../target/classes/META-INF/resources', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 600,
  },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
