/**
 * Recognition (/app/worker/recognition): the leaderboards of the worker's
 * own org for this month and this year, the worker's own place on them, and
 * the switch that keeps the worker off them.
 */
import type { components } from './contract.js';
import { api, ok } from './api.js';
import { byId, el, fail, fill, say } from './dom.js';
import { t, text } from './page-text.js';

type Board = components['schemas']['Leaderboard'];

export function workerRecognition(): void {
  const box = byId<HTMLInputElement>('opt-out');
  let orgId = '';

  function board(period: 'month' | 'year'): Promise<void> {
    return ok(api.GET('/v1/leaderboards', { params: { query: { org_id: orgId, period, limit: 50 } } })).then((result: Board) => {
      const me = result.items.filter((entry) => entry.is_me)[0];
      const mine = byId(`board-${period}-me`);
      mine.textContent = me ? t('worker_board_you', { rank: me.rank, points: me.points }) : text.worker_board_not_listed;
      mine.setAttribute('data-listed', String(!!me));
      fill(
        byId(`board-${period}`),
        result.items,
        (entry) =>
          el('li', entry.is_me ? { 'data-me': '', class: 'me' } : {}, [
            el('div', { class: 'line' }, [
              el('span', { text: t('worker_board_rank', { rank: entry.rank }) + ' ' + (entry.display_name || text.worker_board_anonymous) + (entry.is_me ? text.worker_board_me : '') }),
              el('span', { class: 'nowrap', text: t('worker_board_points', { points: entry.points }) }),
            ]),
          ]),
        text.worker_board_empty,
      );
    });
  }
  const boards = () => Promise.all([board('month'), board('year')]);

  Promise.all([ok(api.GET('/v1/me')), ok(api.GET('/v1/me/preferences'))])
    .then(([me, preferences]) => {
      orgId = me.home_org_id;
      if (me.home_org_name) byId('board-org').textContent = t('worker_board_org', { org: me.home_org_name });
      box.checked = preferences.leaderboard_opt_out;
      box.disabled = false;
      return boards();
    })
    .catch(fail);

  box.addEventListener('change', () => {
    const wanted = box.checked;
    box.disabled = true;
    ok(api.PUT('/v1/me/preferences', { body: { leaderboard_opt_out: wanted } }))
      .then((saved) => {
        box.checked = saved.leaderboard_opt_out;
        say(saved.leaderboard_opt_out ? text.worker_opted_out : text.worker_opted_in);
        return boards();
      })
      .catch((error: unknown) => {
        box.checked = !wanted;
        fail(error);
      })
      .then(() => {
        box.disabled = false;
      });
  });
}
