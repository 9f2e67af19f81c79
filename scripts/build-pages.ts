// Writes the pages' bundled browser scripts to build/pages/<name>.js (or the
// folder given): the Worker's build (wrangler.toml [build]) imports them as
// text modules, since workerd has no esbuild at run time.
import { join } from 'node:path';
import { writePageScripts } from '../src/pages/bundle-pages.js';

const root = new URL('../', import.meta.url).pathname;
const dir = process.argv[2] ?? join(root, 'build', 'pages');
for (const [file, bytes] of Object.entries(writePageScripts(dir))) process.stdout.write(`${file}  ${bytes} bytes\n`);
