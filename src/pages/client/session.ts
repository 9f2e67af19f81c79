/** What the pages read from the bearer token's claims (the server checks the signature, not this). */
export interface Claims {
  role: string;
  sub?: string;
  exp?: number;
  member_id?: string;
  merchant_id?: string;
  org_id?: string;
}

const TOKEN_KEY = 'jifen.token';

/** Each role's home page. */
export const HOMES: Record<string, string> = { worker: '/app/worker', merchant: '/app/merchant', organizer: '/app/organizer', auditor: '/app/auditor', admin: '/app/admin' };

/** The claims of a token, or null when it is not a JWT with a role. */
export function decodeToken(token: string): Claims | null {
  try {
    const part = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = atob(part + '==='.slice((part.length + 3) % 4));
    let utf8 = '';
    for (let i = 0; i < bytes.length; i++) utf8 += '%' + ('0' + bytes.charCodeAt(i).toString(16)).slice(-2);
    const claims = JSON.parse(decodeURIComponent(utf8)) as Claims | null;
    return claims && typeof claims.role === 'string' ? claims : null;
  } catch {
    return null;
  }
}

/** The token kept in this browser, if any. */
export function token(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** Whether the claims' expiry has passed. */
export function expired(claims: Claims): boolean {
  return typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now();
}

/** The claims of the kept token while it is valid, else null. */
export function claims(): Claims | null {
  const value = token();
  const c = value ? decodeToken(value) : null;
  return c && !expired(c) ? c : null;
}

/** Keeps a token in this browser. */
export function setToken(value: string): void {
  localStorage.setItem(TOKEN_KEY, value);
}

/** Forgets the kept token. */
export function signOut(): void {
  try {
    localStorage.removeItem(TOKEN_KEY);
  } catch {
    /* nothing kept */
  }
}
