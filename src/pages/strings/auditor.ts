// Text of the auditor pages (src/pages/auditor-page.tsx, client/auditor*.ts), in Chinese and English, spread into
// strings-zh.ts and strings-en.ts. Keys start with "auditor_"; the compiler checks
// that English has every Chinese key.

export const auditorZh = {
  // Exports (GET /v1/audit/export), saved in the browser: the token never goes into an address.
  auditor_export_heading: '导出账本',
  auditor_export_help: '按交易序号导出一段账本。CSV 可以用表格软件打开，每行一条分录；NDJSON 每行一笔交易，供核验程序读取。起止都不填就导出整本账。',
  auditor_export_from: '从第几笔',
  auditor_export_from_hint: '不填就从第 1 笔开始',
  auditor_export_to: '到第几笔',
  auditor_export_to_hint: '不填就到最新一笔',
  auditor_export_csv: '下载 CSV',
  auditor_export_ndjson: '下载 NDJSON',
  auditor_export_working: '正在导出，请稍候……',
  auditor_export_done: '已下载 {file}：第 {from} 笔到第 {to} 笔，共 {n} 笔交易。',
  auditor_export_empty: '已下载 {file}，但这一段没有交易：账本目前只到第 {head} 笔。',
  auditor_export_bad_range: '“从第几笔”不能大于“到第几笔”。',
  auditor_export_bad_seq: '序号要填 1 或更大的整数，也可以不填。',

  // Verifying a saved export offline (scripts/verify.ts).
  auditor_offline_heading: '离线核验导出的账本',
  auditor_offline_step_export: '在上面起止都不填，点“下载 NDJSON”，导出整本账。核验程序只读 NDJSON 文件，而且要从第 1 笔开始，至少到最新的签名检查点。',
  auditor_offline_step_files: '再下载签名检查点和服务公钥：',
  auditor_offline_checkpoints: '下载检查点 jifen-checkpoints.json',
  auditor_offline_jwks: '下载公钥 jifen-jwks.json',
  auditor_offline_step_run: '把这三个文件复制到 Jifen 源代码的文件夹里（第一次要先运行 npm install），在那里运行：',
  auditor_offline_result:
    '核验程序不信任本服务：它自己重新计算每笔交易的哈希、检查每笔分录借贷相等、每个账户的余额前后衔接，并用公钥核对每个检查点的签名。通过时最后打印 “OK: … transactions checked”，退出码为 0；不通过时打印 “FAILED at seq …”，指出第一笔出问题的交易，退出码为 1。',
  auditor_offline_saved: '已下载 {file}。',
  auditor_offline_not_from_start: '注意：{file} 不是从第 1 笔开始的，核验程序不接受。请起止都不填，重新下载 NDJSON。',

  // What each finding means, in plain words, with the thresholds it was found by (src/audit/thresholds.ts).
  auditor_anomalies_help: '每条提示下面写着它是什么意思、按什么标准发现的；点开可以看到背后的每一条记录。提示不等于有错，只是值得看一看。',
  auditor_means_organizer_above_peers:
    '这位组织者近 {peer_days} 天发放的积分，超过了其他组织者发放量中位数的 {multiple} 倍。只有在至少还有 {min_peers} 位其他组织者、本人发放不少于 {min_points} 分时才提示。请看看这些申请是否属实。',
  auditor_means_budget_pace: '这个组织的预算近 {pace_days} 天发出的积分比剩下的还多，照这个速度 {pace_days} 天内就会用完。可能需要追加预算，或者看看发放是否正常。',
  auditor_means_claims_burst: '{burst_hours} 小时内为同一位成员提交了 {burst_claims} 条或更多申请。可能是集中补报，也可能是重复或虚报。',
  auditor_means_repeated_report_ref: '同一个上报编号被不止一位成员申请。一次上报只奖励一个人，请核实到底是谁上报的。',
  auditor_means_self_approval_refused: '有人想审批自己提交的申请，系统已经拒绝，积分没有发出。不过值得问一问原因。',
  auditor_means_revocation_left_negative: '撤销这笔积分时，这位成员已经把积分花掉了，余额变成了负数。以后挣到的积分会先补上这部分。',
  auditor_means_merchant_refund_rate: '近 {refund_days} 天里，这家商户退回了超过 {refund_percent}% 的兑换（至少有 {refund_min} 笔兑换才提示）。退回太多，可能是商品有问题，也可能有人借退回倒腾积分。',
  auditor_means_backfilled_claim: '管理员补录了一条超过申报期限的申请，并写明了原因。请核对这个原因是否成立。',
  auditor_means_redeem_code_failures: '{redeem_hours} 小时内，这家商户的收银端有 {redeem_failures} 次或更多兑换码核验失败，或者被限流拦下。可能有人在猜兑换码，也可能是收银设备出了问题。',
  auditor_means_other: '系统拒绝了这类操作。请看看背后的记录。',

  // The records behind a finding.
  auditor_records_open: '查看 {n} 条相关记录',
  auditor_records_none: '这些记录无法显示。',
  auditor_record_claim: '申请',
  auditor_record_transaction: '账本交易',
  auditor_record_redemption: '兑换',
  auditor_record_redeem_failure: '兑换码核验失败',
  auditor_record_activity_day: '活动日期 {d}',
  auditor_claim_pending: '待审批',
  auditor_claim_approved: '已通过',
  auditor_claim_rejected: '已驳回',
  auditor_claim_revoked: '已撤销',
  auditor_redemption_refunded: '已退回',
  auditor_failure_invalid: '无效的兑换码',
  auditor_failure_used: '已用过的兑换码',
  auditor_failure_expired: '过期的兑换码',
  auditor_failure_rate_limited: '被限流拦下',
} as const;

export const auditorEn: Record<keyof typeof auditorZh, string> = {
  auditor_export_heading: 'Export the ledger',
  auditor_export_help:
    'Export a range of the ledger by transaction seq. CSV opens in a spreadsheet, one posting a row; NDJSON has one transaction a line, for the verifier. Leave both empty for the whole ledger.',
  auditor_export_from: 'From seq',
  auditor_export_from_hint: 'Empty: from seq 1',
  auditor_export_to: 'To seq',
  auditor_export_to_hint: 'Empty: to the latest',
  auditor_export_csv: 'Download CSV',
  auditor_export_ndjson: 'Download NDJSON',
  auditor_export_working: 'Exporting, please wait…',
  auditor_export_done: 'Downloaded {file}: seq {from} to {to}, {n} transactions.',
  auditor_export_empty: 'Downloaded {file}, but the range holds no transactions: the ledger ends at seq {head}.',
  auditor_export_bad_range: '"From seq" must not be after "To seq".',
  auditor_export_bad_seq: 'A seq is a whole number from 1, or empty.',

  auditor_offline_heading: 'Verify an export offline',
  auditor_offline_step_export:
    'Leave both seqs empty above and press "Download NDJSON" for the whole ledger. The verifier reads NDJSON only, from seq 1 to at least the latest signed checkpoint.',
  auditor_offline_step_files: "Then save the signed checkpoints and the service's public keys:",
  auditor_offline_checkpoints: 'Save checkpoints jifen-checkpoints.json',
  auditor_offline_jwks: 'Save public keys jifen-jwks.json',
  auditor_offline_step_run: 'Copy the three files into a folder of the Jifen source code (run npm install there once) and run, in that folder:',
  auditor_offline_result:
    'The verifier does not trust this service: it recomputes every transaction\'s hash, checks every transaction\'s postings balance and every account\'s running balance follows, and checks every checkpoint\'s signature with the public keys. It ends with "OK: … transactions checked" and exit status 0 when the export passes, or "FAILED at seq …", naming the first bad transaction, and exit status 1.',
  auditor_offline_saved: 'Saved {file}.',
  auditor_offline_not_from_start: 'Note: {file} does not start at seq 1, and the verifier does not take it. Leave both seqs empty and download the NDJSON again.',

  auditor_anomalies_help: 'Under each finding: what it means and the rule that found it; open it for every record behind it. A finding is not a fault, only worth a look.',
  auditor_means_organizer_above_peers:
    'In the last {peer_days} days this organizer credited more than {multiple} times the median of what the other organizers credited. Flagged only with at least {min_peers} other organizers, and from {min_points} points up. Check the claims behind it are real.',
  auditor_means_budget_pace: "In the last {pace_days} days this org's budget credited more than it has left: at this pace it runs out within {pace_days} days. It may need a top-up, or a look at what is being credited.",
  auditor_means_claims_burst: '{burst_claims} or more claims for one member within {burst_hours} hours: a batch of late reports, or duplicated or made-up claims.',
  auditor_means_repeated_report_ref: 'One report reference was claimed by more than one member. A report earns for one person only: check who made it.',
  auditor_means_self_approval_refused: 'Someone tried to approve a claim they had recorded themselves. The service refused and no points moved, but it is worth asking why.',
  auditor_means_revocation_left_negative: "A credit was revoked after the member had spent the points, leaving the balance below zero. The member's next earnings make up the difference first.",
  auditor_means_merchant_refund_rate:
    'In the last {refund_days} days this merchant refunded more than {refund_percent}% of its redemptions (flagged from {refund_min} redemptions). Many refunds may mean a problem with the goods, or refunds used to move points.',
  auditor_means_backfilled_claim: 'An admin recorded a claim past the age limit, with a reason. Check the reason holds.',
  auditor_means_redeem_code_failures:
    "Within {redeem_hours} hours this merchant's tills presented {redeem_failures} or more failing redeem codes, or were stopped by the rate limit: someone guessing codes, or a till in trouble.",
  auditor_means_other: 'The service refused this kind of action. Look at the records behind it.',

  auditor_records_open: 'Show the {n} records behind it',
  auditor_records_none: 'These records cannot be shown.',
  auditor_record_claim: 'Claim',
  auditor_record_transaction: 'Ledger transaction',
  auditor_record_redemption: 'Redemption',
  auditor_record_redeem_failure: 'Failed redeem code',
  auditor_record_activity_day: 'activity on {d}',
  auditor_claim_pending: 'pending',
  auditor_claim_approved: 'approved',
  auditor_claim_rejected: 'rejected',
  auditor_claim_revoked: 'revoked',
  auditor_redemption_refunded: 'refunded',
  auditor_failure_invalid: 'unknown code',
  auditor_failure_used: 'code already used',
  auditor_failure_expired: 'expired code',
  auditor_failure_rate_limited: 'stopped by the rate limit',
};
