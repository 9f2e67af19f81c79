/**
 * The kinds of platform work a member does, with the names people use for
 * them: the API takes the codes, the pages show the names, and an imported
 * spreadsheet may give either.
 */
export const PLATFORM_NAMES = {
  delivery: { zh: '外卖配送', en: 'Food delivery' },
  courier: { zh: '快递', en: 'Courier' },
  ride_hailing: { zh: '网约车', en: 'Ride-hailing' },
  freight: { zh: '货运', en: 'Freight' },
  other: { zh: '其他', en: 'Other' },
} as const;

export type Platform = keyof typeof PLATFORM_NAMES;

export const PLATFORMS = Object.keys(PLATFORM_NAMES) as [Platform, ...Platform[]];

// What else a spreadsheet calls them.
const ALIASES: Record<string, Platform> = { 外卖: 'delivery', 配送: 'delivery', 骑手: 'delivery', 快递员: 'courier', 司机: 'ride_hailing', 出租: 'ride_hailing' };

/** The platform a spreadsheet's cell names (a code, a name in either language, a common alias), if any. */
export function platformNamed(cell: string): Platform | undefined {
  const text = cell.trim().toLowerCase();
  for (const [code, names] of Object.entries(PLATFORM_NAMES) as Array<[Platform, { zh: string; en: string }]>) {
    if (text === code || text === names.zh || text === names.en.toLowerCase()) return code;
  }
  return ALIASES[text];
}

/** The pages' names of the platforms (`platform_<code>`), in one language. */
export function platformTexts(lang: 'zh' | 'en'): Record<`platform_${Platform}`, string> {
  return Object.fromEntries(PLATFORMS.map((code) => [`platform_${code}`, PLATFORM_NAMES[code][lang]])) as Record<`platform_${Platform}`, string>;
}
