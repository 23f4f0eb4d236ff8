// Signed links from DataPact e-mails: `/settings?email=<address>#preferences=<link>` (or
// `#watchers=<link>`). The link lets whoever reads that address's mail manage it without an
// API token; the API takes it in the X-DataPact-Link header. It is kept in this tab only
// (sessionStorage) and taken out of the address bar, so it is not bookmarked or shared.
export type LinkPurpose = "preferences" | "watchers";

export const LINK_HEADER = "X-DataPact-Link";
const FRAGMENT = /^#(preferences|watchers)=([A-Za-z0-9_.-]{1,2048})$/;

function key(purpose: LinkPurpose, email: string): string {
  return `datapact.link.${purpose}.${email.toLowerCase()}`;
}

/** Moves a link from the URL's fragment into sessionStorage; returns its purpose, if any. */
export function takeLinkFromUrl(): LinkPurpose | null {
  const found = FRAGMENT.exec(window.location.hash);
  const email = new URLSearchParams(window.location.search).get("email");
  if (!found || !email) return null;
  const purpose = found[1] as LinkPurpose;
  try {
    sessionStorage.setItem(key(purpose, email), found[2]);
  } catch {
    return null;
  }
  window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
  return purpose;
}

export function linkFor(purpose: LinkPurpose, email: string): string | null {
  try {
    return sessionStorage.getItem(key(purpose, email));
  } catch {
    return null;
  }
}

/** The header carrying the stored link for this address, if there is one. */
export function linkHeaders(purpose: LinkPurpose, email: string): Record<string, string> | undefined {
  const link = linkFor(purpose, email);
  return link ? { [LINK_HEADER]: link } : undefined;
}

/** For the watchers of an address: its watchers link, else a preferences link (which shows them). */
export function watcherLinkHeaders(email: string): Record<string, string> | undefined {
  return linkHeaders("watchers", email) ?? linkHeaders("preferences", email);
}

/** Whether this browser can see and manage `email`'s watchers and preferences: an admin
 * token, a token owning the address (its email claim), or a link from an e-mail to it. The
 * claims are read for this choice only; the server decides. */
export function mayManage(email: string, claims: { scopes?: string[]; email?: string } | null): boolean {
  if (claims?.scopes?.includes("admin")) return true;
  if (claims?.email && claims.email.toLowerCase() === email.toLowerCase()) return true;
  return linkFor("preferences", email) !== null || linkFor("watchers", email) !== null;
}
