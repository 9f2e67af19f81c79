/** One claim for one member outside an event: activity, hours, when, and the evidence (a link, or a photo taken and uploaded here). */
import { api, ok } from './api.js';
import { busy, byId, el, fail, say } from './dom.js';
import { activityName, localInput } from './format.js';
import { t } from './page-text.js';
import { badField, typedPoints, value } from './admin-shared.js';
import { memberName } from './sign-in-cards.js';
import type { ActivityType, Claim } from './organizer-shared.js';
import type { components } from './contract.js';
import { uploadPhoto } from './evidence.js';

type ClaimInput = components['schemas']['ClaimInput'];

export function claimForm(typesLoaded: Promise<ActivityType[]>): void {
  const form = byId<HTMLFormElement>('claim-form'), activity = byId<HTMLSelectElement>('claim-activity'), when = byId<HTMLInputElement>('claim-when');
  const known: Record<string, ActivityType> = {};
  when.value = localInput(new Date());
  const asked = new URLSearchParams(location.search).get('member');
  if (asked) byId<HTMLInputElement>('claim-member').value = asked;
  // Grid reports come from the worker with their reference; everything else can be recorded here.
  typesLoaded
    .then((items) =>
      items
        .filter((type) => type.unit !== 'report')
        .forEach((type) => {
          known[type.code] = type;
          activity.appendChild(el('option', { value: type.code, text: activityName(type) }));
        }),
    )
    .catch(fail);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const member = value('claim-member').replace(/\s+/g, '');
    if (!member) return fail(badField('claim-member'));
    const type = known[activity.value];
    if (!type) return fail(badField('claim-activity'));
    if (!when.value) return fail(badField('claim-when'));
    const body: ClaimInput = { member_id: member, activity_code: type.code, occurred_at: new Date(when.value).toISOString() };
    if (type.unit === 'hour') {
      const hours = typedPoints('claim-units');
      if (!hours) return fail(badField('claim-units'));
      body.units = hours;
    }
    const evidence = value('claim-evidence');
    if (evidence) {
      if (!/^https?:\/\/\S+$/i.test(evidence)) return fail(badField('claim-evidence'));
      body.evidence_url = evidence;
    }
    const photo = byId<HTMLInputElement>('claim-photo');
    const sent = uploadPhoto(photo).then((id) => ok(api.POST('/v1/claims', { body: id ? { ...body, evidence_id: id } : body })));
    busy(form, sent.then((c) => c as Claim))
      .then((c) => {
        const who = { name: memberName({ display_name: c.member_name }), no: c.member_no ?? '' };
        say(c.status === 'approved' ? t('organizer_claim_credited', { ...who, n: c.points_credited ?? '0.00' }) : t('organizer_claim_waiting', { ...who, n: c.points }));
        form.setAttribute('data-claim-id', c.id);
        byId<HTMLInputElement>('claim-units').value = '';
        byId<HTMLInputElement>('claim-evidence').value = '';
        photo.value = '';
      })
      .catch(fail);
  });
}
