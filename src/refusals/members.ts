import type { RefusalEntry } from './entry.js';

/** Refusals of the member directory: member numbers, deactivated members, changes and imports. */
export const MEMBER_REFUSALS = {
  member_number_mistyped: {
    status: 422,
    detail: 'This is not a member number: its check digits do not match (a digit mistyped or two swapped?)',
    page: { zh: '成员编号不对（可能输错或颠倒了数字），请核对后重输。', en: 'That member number is not right (a digit mistyped or swapped?). Check it and type it again.' },
  },
  member_deactivated: {
    status: 422,
    detail: 'This member is deactivated: it earns and redeems nothing until an admin or organizer reactivates it',
    page: { zh: '该成员已停用，暂时不能获得或使用积分；如需恢复，请联系组织者。', en: 'This member is deactivated and cannot earn or spend points. Ask an organizer to reactivate it.' },
    schema: { member_deactivated: null },
  },
  member_session_ended: {
    status: 403,
    detail: 'This member is deactivated: its sessions no longer work',
    page: { zh: '您的成员资格已停用，暂时无法使用；如有疑问请联系组织者。', en: 'Your membership is deactivated, so this sign-in no longer works. Ask an organizer if this is a mistake.' },
  },
  unsupported_charset: {
    status: 415,
    detail: 'This service reads spreadsheets saved as UTF-8 or GB18030 (GBK)',
    page: { zh: '读不了这个文件的文字编码，请在表格软件里用“另存为”保存成逗号分隔文件后再导入。', en: 'This file’s encoding is not supported. Save it as CSV in UTF-8 or GBK and import again.' },
  },
  sheet_undecodable: {
    status: 400,
    detail: 'The file is not valid text in the encoding it names or seems to have',
    page: { zh: '文件内容有乱码，读不出来，请重新另存为逗号分隔文件后再导入。', en: 'The file has garbled text that cannot be read. Save it as CSV again and import it.' },
  },
  sheet_unreadable: {
    status: 400,
    detail: 'The file is not a CSV sheet',
    page: { zh: '这不是逗号分隔的表格文件，请在表格软件里用“另存为”保存成逗号分隔文件后再导入。', en: 'This is not a CSV sheet. Use “Save as CSV” in your spreadsheet program and import again.' },
  },
  import_columns_missing: {
    status: 422,
    detail: 'The header row needs the columns display_name, home_org and external_ref',
    page: { zh: '表头缺少必需的列：姓名、所属组织、外部编号。', en: 'The header row is missing a needed column: name, home org, external ref.' },
  },
  import_too_large: {
    status: 422,
    detail: 'The file has more lines than one import takes',
    page: { zh: '文件行数超过一次导入的上限，请把文件拆开分批导入。', en: 'The file has more lines than one import takes. Split it and import it in parts.' },
  },
  import_refused: {
    status: 422,
    detail: 'Some lines were refused, so nothing was imported',
    page: { zh: '有些行不符合要求，所以整个文件都没有导入；请按提示改正后再导入。', en: 'Some lines were refused, so nothing was imported. Fix them and import again.' },
  },
  import_ref_missing: {
    status: 422,
    detail: 'Every line needs an external_ref: it is what makes importing the same file again safe',
    page: { zh: '这一行没有外部编号（导入时用它判断是否已登记）。', en: 'This line has no external ref (it tells the import who is registered already).' },
  },
  unknown_org: {
    status: 422,
    detail: 'No org has this name or id',
    page: { zh: '找不到这个组织，请核对名称。', en: 'No org has this name. Check it.' },
  },
  org_name_ambiguous: {
    status: 422,
    detail: 'Several orgs have this name; give the org id',
    page: { zh: '有多个组织叫这个名字，请改填组织编号。', en: 'Several orgs have this name. Give the org’s id instead.' },
  },
  unknown_platform: {
    status: 422,
    detail: 'Not a kind of platform work this programme knows',
    page: { zh: '平台类型填写得不对，请用成员名单里列出的平台类型。', en: 'That kind of platform work is not one the programme lists.' },
  },
} as const satisfies Record<string, RefusalEntry>;
