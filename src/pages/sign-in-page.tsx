/** @jsxImportSource hono/jsx */
import type { T } from './page.js';

/**
 * Sign-in: a card's link (`#code=`) is exchanged at once, or its code typed;
 * a link's `#token=` fragment is taken at once; a token can also be pasted.
 */
export const signIn = (t: T) => (
  <>
    <section class="card" aria-labelledby="sign-in-card-heading">
      <h2 id="sign-in-card-heading">{t('sign_in_card_heading')}</h2>
      <p>{t('sign_in_card_help')}</p>
      <form id="code-form" novalidate>
        <label for="code">
          {t('sign_in_code')}
          <span class="hint">{t('sign_in_code_hint')}</span>
        </label>
        <input id="code" name="code" required spellcheck={false} autocomplete="one-time-code" autocapitalize="characters" maxlength={60} />
        <button type="submit">{t('sign_in_submit')}</button>
      </form>
    </section>
    <section class="card" aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">{t('sign_in_token_heading')}</h2>
      <p>{t('sign_in_help')}</p>
      <form id="sign-in-form" novalidate>
        <label for="token">
          {t('token')}
          <span class="hint">{t('token_hint')}</span>
        </label>
        <textarea id="token" name="token" required spellcheck={false} autocomplete="off"></textarea>
        <button type="submit">{t('sign_in_submit')}</button>
      </form>
    </section>
  </>
);
