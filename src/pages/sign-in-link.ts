/**
 * A sign-in link for a token: the token rides in the URL fragment, which
 * browsers never send to the server, so it stays out of access logs.
 * @example signInLink('http://localhost:3000', jwt) // "http://localhost:3000/app/sign-in#token=eyJ..."
 */
export function signInLink(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/app/sign-in#token=${token}`;
}
