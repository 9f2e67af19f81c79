// The kinds of org and how they nest: the schema of the API, the domain and
// the console's form (which offers only the kinds a parent may hold) read this.

export const ORG_KINDS = ['city', 'district', 'street', 'community', 'grid', 'station', 'industry'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/** Which kinds may sit directly under which: city → district → street → community → grid / station; industry committees under a city, district or street. */
export const ALLOWED_PARENTS: Record<OrgKind, ReadonlyArray<OrgKind | null>> = {
  city: [null],
  district: ['city'],
  street: ['district'],
  community: ['street'],
  grid: ['community'],
  station: ['community', 'street'],
  industry: ['city', 'district', 'street'],
};

/** The kinds an org may be under a parent of kind `parent` (null: at the top). */
export function kindsUnder(parent: OrgKind | null): OrgKind[] {
  return ORG_KINDS.filter((kind) => ALLOWED_PARENTS[kind].includes(parent));
}
