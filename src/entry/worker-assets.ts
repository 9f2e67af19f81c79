// The files the Worker serves that workerd cannot read or build at run time,
// bundled into the Worker as text modules (wrangler.toml [[rules]] type =
// "Text"): the pages' scripts, written to build/pages/ by wrangler's [build]
// command (scripts/build-pages.ts), and Swagger UI's files for /docs.
// Imported on first use only (see worker.ts), so loading the entry (as the
// d1 tests do) needs none of them.
import common from '../../build/pages/common.js';
import signIn from '../../build/pages/sign-in.js';
import worker from '../../build/pages/worker.js';
import merchant from '../../build/pages/merchant.js';
import organizer from '../../build/pages/organizer.js';
import auditor from '../../build/pages/auditor.js';
import admin from '../../build/pages/admin.js';
import swaggerCss from 'swagger-ui-dist/swagger-ui.css';
import swaggerBundle from 'swagger-ui-dist/swagger-ui-bundle.js';
import type { PageScriptName } from '../pages/page-scripts.js';

/** The pages' bundled scripts, by name. */
export const PAGE_SOURCES: Record<PageScriptName, string> = { common, 'sign-in': signIn, worker, merchant, organizer, auditor, admin };

/** Swagger UI's stylesheet and script. */
export const SWAGGER = { css: swaggerCss, js: swaggerBundle };
