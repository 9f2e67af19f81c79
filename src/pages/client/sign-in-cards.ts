/**
 * Sign-in cards, shared by the console's members page and the organizer's:
 * one new one-time code for each member, laid out in `sheet` for A4 (the
 * print stylesheet shows only the sheet), with a button that prints it.
 */
import { api, ok } from './api.js';
import { date } from './format.js';
import { el } from './dom.js';
import { t, text } from './page-text.js';

export interface CardMember {
  id: string;
  member_no: string;
  display_name: string | null;
}

/** A member's name, or the page's word for a member without one. */
export const memberName = (m: { display_name: string | null }) => m.display_name || text.member_unnamed;

/** Makes a new code for each member and shows their cards in `sheet`; answers the print button (focused by the caller). */
export async function showSignInCards(sheet: HTMLElement, members: readonly CardMember[]): Promise<HTMLButtonElement> {
  const cards = await Promise.all(members.map((m) => ok(api.POST('/v1/members/{id}/sign-in-codes', { params: { path: { id: m.id } } })).then((card) => ({ m, card }))));
  sheet.textContent = '';
  const printNow = el('button', { type: 'button', class: 'no-print', id: 'sheet-print', text: text.admin_cards_print_now });
  printNow.addEventListener('click', () => window.print());
  sheet.appendChild(printNow);
  cards.forEach(({ m, card }) => {
    const signInPage = card.url ? card.url.replace(/#.*$/, '') : '';
    sheet.appendChild(
      el('article', { class: 'sign-in-card', 'data-member-no': m.member_no }, [
        el('h2', { text: text.admin_card_title }),
        el('p', { class: 'card-name', text: t('admin_card_member', { name: memberName(m), no: m.member_no }) }),
        card.qr_svg ? el('img', { src: 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(card.qr_svg), alt: t('admin_card_qr', { name: memberName(m) }) }) : null,
        el('p', { class: 'note', text: text.admin_card_code }),
        el('p', { class: 'code', 'data-code': true, text: card.code ?? '' }),
        el('p', { class: 'note', text: t('admin_card_howto', { url: signInPage }) }),
        el('p', { class: 'note', text: t('admin_card_expires', { date: date(card.expires_at) }) }),
      ]),
    );
  });
  sheet.hidden = false;
  return printNow;
}
