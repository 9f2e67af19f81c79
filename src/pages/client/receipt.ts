/** A redemption's signed receipt behind a "show" summary, read from the service the first time it is opened. */
import type { components } from './contract.js';
import { api, ok } from './api.js';
import { el, fail } from './dom.js';

type Receipt = components['schemas']['RedemptionReceipt'];

export function receiptDetails(redemptionId: string, show: string, lines: (receipt: Receipt) => ReadonlyArray<Node | null>): HTMLDetailsElement {
  const details = el('details', {}, [el('summary', { text: show })]);
  const body = el('div', { class: 'receipt-body' });
  details.appendChild(body);
  details.addEventListener('toggle', () => {
    if (!details.open || body.childNodes.length) return;
    body.setAttribute('aria-busy', 'true');
    ok(api.GET('/v1/redemptions/{id}/receipt', { params: { path: { id: redemptionId } } }))
      .then((receipt) => {
        for (const line of lines(receipt)) if (line) body.appendChild(line);
        body.setAttribute('aria-busy', 'false');
      })
      .catch(fail);
  });
  return details;
}
