import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { DocsAssets } from '../http/docs.js';

/** Swagger UI's files from node_modules/swagger-ui-dist, read once each on first use. */
export function nodeDocsAssets(): DocsAssets {
  const require = createRequire(import.meta.url);
  const read = (file: string) => {
    let text: Promise<string> | undefined;
    return () => (text ??= readFile(require.resolve(`swagger-ui-dist/${file}`), 'utf8'));
  };
  return { css: read('swagger-ui.css'), js: read('swagger-ui-bundle.js') };
}
