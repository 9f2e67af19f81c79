import { sql, type CompiledQuery } from 'kysely';
import { parse } from 'csv-parse/sync';
import type { Db } from '../db/types.js';
import { inJson, jsonRows } from '../db/dialect.js';
import type { Caller } from '../auth/caller.js';
import type { AppDeps } from '../deps.js';
import { commitWrite, type IdempotencyScope } from '../db/write-runner.js';
import { findOrg } from '../orgs/orgs.js';
import { newId } from '../ids.js';
import { workerAccount } from '../ledger/accounts.js';
import { textFault } from '../ledger/text.js';
import { refuse } from '../errors.js';
import { refusalEntry, type RefusalCode } from '../refusals/index.js';
import { PLATFORM_NAMES, platformNamed } from './platforms.js';

/** Most lines one import takes. */
export const IMPORT_MAX_ROWS = 20_000;

/** Largest spreadsheet one import takes, in bytes: 20,000 long lines. */
export const IMPORT_BODY_LIMIT = 16 * 1024 * 1024;

/** Where spreadsheets of members are posted: the one request whose body is not JSON. */
export const IMPORT_PATH = '/v1/members/import';

/** Whether a request is a members import. */
export const isSheetImport = (method: string, path: string) => method === 'POST' && path === IMPORT_PATH;

/** The columns of a members spreadsheet, by what their header may say (either language, any case). */
const COLUMNS = {
  display_name: ['display_name', 'name', '姓名', '名字', '昵称'],
  platform: ['platform', '平台', '职业', '工作类型'],
  home_org: ['home_org', 'home_org_id', 'org', '所属组织', '组织', '社区', '网格', '站点'],
  external_ref: ['external_ref', 'ref', '外部编号', '平台账号', '工号', '编号'],
} as const;
type Column = keyof typeof COLUMNS;

/** Which encodings an import reads: UTF-8 (with or without a BOM) and GB18030 (which GBK and GB2312 are subsets of). */
const CHARSETS: Record<string, 'utf-8' | 'gb18030'> = { 'utf-8': 'utf-8', utf8: 'utf-8', gb18030: 'gb18030', gbk: 'gb18030', gb2312: 'gb18030', 'x-gbk': 'gb18030', cp936: 'gb18030' };

/**
 * The text of a spreadsheet's bytes: the charset the content type names, else
 * UTF-8 when it is UTF-8 (a BOM says so), else GB18030, which Excel on a
 * Chinese Windows saves.
 */
export function decodeSheet(bytes: Uint8Array, contentType: string): { text: string; encoding: 'utf-8' | 'gb18030' } {
  const named = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1]?.toLowerCase();
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  let encoding: 'utf-8' | 'gb18030' | undefined = named === undefined ? undefined : CHARSETS[named];
  if (named !== undefined && !encoding) throw refuse('unsupported_charset', `This service reads UTF-8 and GB18030 (GBK) spreadsheets, not ${named}`);
  const decode = (as: 'utf-8' | 'gb18030') => new TextDecoder(as, { fatal: true, ignoreBOM: false }).decode(bytes);
  if (!encoding) {
    if (bom) encoding = 'utf-8';
    else {
      try {
        return { text: decode('utf-8'), encoding: 'utf-8' };
      } catch {
        encoding = 'gb18030';
      }
    }
  }
  try {
    return { text: decode(encoding), encoding };
  } catch {
    throw refuse('sheet_undecodable', `The file is not valid ${encoding === 'utf-8' ? 'UTF-8' : 'GB18030'} text`);
  }
}

/** One line of the sheet as read: its line number in the file and its cells by column. */
interface SheetLine {
  line: number;
  cells: Partial<Record<Column, string>>;
}

/** The sheet's lines under its header row; a header that lacks a needed column is refused. */
function readSheet(text: string): SheetLine[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    throw refuse('sheet_unreadable', `The file is not a CSV sheet: ${(error as Error).message.slice(0, 200)}`);
  }
  const [header, ...rows] = records;
  if (!header) throw refuse('import_columns_missing', 'The file is empty: it needs a header row and a line per member');
  const index = new Map<Column, number>();
  header.record.forEach((title, i) => {
    const name = title.trim().toLowerCase();
    const column = (Object.keys(COLUMNS) as Column[]).find((c) => (COLUMNS[c] as readonly string[]).includes(name));
    if (column && !index.has(column)) index.set(column, i);
  });
  const missing = (['display_name', 'home_org', 'external_ref'] as const).filter((c) => !index.has(c));
  if (missing.length > 0) {
    throw refuse('import_columns_missing', `The header row needs the columns ${missing.map((c) => COLUMNS[c][0]).join(', ')} (or 姓名, 所属组织, 外部编号)`);
  }
  if (rows.length > IMPORT_MAX_ROWS) throw refuse('import_too_large', `One import takes at most ${IMPORT_MAX_ROWS} lines; this file has ${rows.length}`);
  return rows.map(({ record, info }) => ({
    line: info.lines,
    cells: Object.fromEntries([...index].map(([column, i]) => [column, record[i] ?? ''])),
  }));
}

/** A line the import refused: its number in the file, its external_ref, and why. */
export interface ImportRefusal {
  line: number;
  external_ref: string | null;
  code: RefusalCode;
  detail: string;
}

/** What an import did (or, on a dry run, would do). */
export interface ImportReport {
  dry_run: boolean;
  encoding: 'utf-8' | 'gb18030';
  lines: number;
  created: number;
  /** Lines whose external_ref is a member already: left as they are, so a second import of the file changes nothing. */
  existing: number;
  refused: ImportRefusal[];
}

interface NewMember {
  id: string;
  account_id: string;
  display_name: string;
  platform: string | null;
  home_org_id: string;
  external_ref: string;
}

/** Finds each line's org: an org id, or the name of one org in the caller's scope. */
async function orgResolver(db: Db, caller: Caller, names: readonly string[]) {
  const scope = caller.role === 'organizer' && caller.org_id ? await findOrg(db, caller.org_id) : undefined;
  const path = scope?.path ?? '/';
  const wanted = new Set(names.filter(Boolean));
  const rows = await sql<{ id: string; name: string; path: string }>`
    SELECT id, name, path FROM orgs
    WHERE (id IN ${inJson(db, wanted)} OR name IN ${inJson(db, wanted)})`.execute(db);
  const inScope = (p: string) => p.startsWith(path);
  return (cell: string): { id: string } | { code: RefusalCode; detail: string } => {
    const byId = rows.rows.find((o) => o.id === cell);
    const matches = byId ? [byId] : rows.rows.filter((o) => o.name === cell);
    if (matches.length === 0) return { code: 'unknown_org', detail: `No org is called ${cell}` };
    const mine = matches.filter((o) => inScope(o.path));
    if (mine.length === 0) return { code: 'forbidden', detail: `${cell} is outside your part of the programme` };
    if (mine.length > 1) return { code: 'org_name_ambiguous', detail: `${mine.length} orgs are called ${cell}: give the org's id` };
    return { id: mine[0]!.id };
  };
}

/** The lines' external refs that are members already. */
async function existingRefs(db: Db, refs: readonly string[]): Promise<Set<string>> {
  const { rows } = await sql<{ external_ref: string }>`
    SELECT external_ref FROM members WHERE external_ref IN ${inJson(db, refs)}`.execute(db);
  return new Set(rows.map((r) => r.external_ref));
}

/**
 * Reads a sheet of members and plans their registration: each line checked
 * (text, name, platform, the org and the caller's scope, the external_ref
 * that keys it), the members already registered under their external_ref set
 * apart, and each refused line named with its line number.
 */
async function planImport(db: Db, caller: Caller, lines: readonly SheetLine[]) {
  const resolveOrg = await orgResolver(db, caller, lines.map((l) => l.cells.home_org ?? ''));
  const existing = await existingRefs(db, lines.map((l) => l.cells.external_ref ?? '').filter(Boolean));
  const refused: ImportRefusal[] = [];
  const fresh: NewMember[] = [];
  const seen = new Map<string, number>();
  let already = 0;
  for (const { line, cells } of lines) {
    const ref = cells.external_ref ?? '';
    const refuseLine = (code: RefusalCode, detail = refusalEntry(code).detail) => refused.push({ line, external_ref: ref || null, code, detail });
    const badText = (Object.values(cells) as string[]).map(textFault).find(Boolean);
    if (badText) {
      refuseLine('invalid_text', `A cell ${badText}`);
      continue;
    }
    const name = cells.display_name ?? '';
    if (!ref) {
      refuseLine('import_ref_missing');
      continue;
    }
    if (ref.length > 200) {
      refuseLine('validation_failed', 'external_ref is longer than 200 characters');
      continue;
    }
    if (seen.has(ref)) {
      refuseLine('duplicate_external_ref', `Line ${seen.get(ref)} has the same external_ref`);
      continue;
    }
    seen.set(ref, line);
    if (existing.has(ref)) {
      already++;
      continue;
    }
    if (!name || name.length > 100) {
      refuseLine('validation_failed', name ? 'The name is longer than 100 characters' : 'The name is empty');
      continue;
    }
    const platformCell = cells.platform ?? '';
    const platform = platformCell ? platformNamed(platformCell) : null;
    if (platform === undefined) {
      refuseLine('unknown_platform', `${platformCell} is not one of: ${Object.values(PLATFORM_NAMES).map((n) => n.zh).join('、')}`);
      continue;
    }
    const org = resolveOrg(cells.home_org ?? '');
    if ('code' in org) {
      refuseLine(org.code, org.detail);
      continue;
    }
    const id = newId('mem');
    fresh.push({ id, account_id: workerAccount(id), display_name: name, platform, home_org_id: org.id, external_ref: ref });
  }
  return { fresh, refused, existing: already };
}

// Rows per INSERT: each statement's JSON stays well under D1's limit on one value.
const CHUNK = 500;

/** Compiles the registration of the new members, set-based: their accounts, then the members (numbered by the schema in line order). */
function importStatements(db: Db, members: readonly NewMember[], now: string): CompiledQuery[] {
  const statements: CompiledQuery[] = [];
  for (let i = 0; i < members.length; i += CHUNK) {
    const chunk = JSON.stringify(members.slice(i, i + CHUNK));
    statements.push(
      sql`INSERT INTO accounts (id, kind, owner_id, no_overdraft, created_at)
          SELECT j.value ->> 'account_id', 'worker', j.value ->> 'id', 1, CAST(${now} AS TEXT) FROM ${jsonRows(db, chunk, 'j')}`.compile(db),
      sql`INSERT INTO members (id, display_name, platform, home_org_id, external_ref, account_id, created_at)
          SELECT j.value ->> 'id', j.value ->> 'display_name', j.value ->> 'platform', j.value ->> 'home_org_id', j.value ->> 'external_ref',
                 j.value ->> 'account_id', CAST(${now} AS TEXT)
          FROM ${jsonRows(db, chunk, 'j')} ORDER BY j.key`.compile(db),
    );
  }
  return statements;
}

/**
 * Imports a spreadsheet of members. A dry run answers the report and writes
 * nothing. Otherwise, atomic (the default): any refused line refuses the
 * file; not atomic: the good lines are registered and the refused listed.
 * Lines whose external_ref is a member already are left as they are.
 */
export async function importMembers(
  deps: AppDeps,
  caller: Caller,
  input: { bytes: Uint8Array; contentType: string; dryRun: boolean; atomic: boolean },
  idempotency: IdempotencyScope | undefined,
): Promise<ImportReport> {
  const { db, clock } = deps;
  if (!/^text\/csv\s*(;|$)/i.test(input.contentType)) throw refuse('unsupported_media_type', 'A members import is a CSV file: Content-Type: text/csv');
  const { text, encoding } = decodeSheet(input.bytes, input.contentType);
  const lines = readSheet(text);
  const plan = await planImport(db, caller, lines);
  const report = (created: number): ImportReport => ({ dry_run: input.dryRun, encoding, lines: lines.length, created, existing: plan.existing, refused: plan.refused });
  if (input.dryRun) return report(plan.fresh.length);
  if (input.atomic && plan.refused.length > 0) {
    throw refuse(
      'import_refused',
      `${plan.refused.length} of ${lines.length} lines were refused, so nothing was imported`,
      { errors: plan.refused.slice(0, 1000).map((r) => ({ path: `line.${r.line}`, message: `${r.code}: ${r.detail}` })) },
    );
  }
  const statements = importStatements(db, plan.fresh, clock().toISOString());
  return commitWrite(deps, idempotency, () => ({ statements, result: report(plan.fresh.length) }), 201, (r) => r);
}
