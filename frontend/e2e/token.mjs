// An HS256 API token for the browser tests, signed like datapact_common.tokens.
import { createHmac } from "node:crypto";

const SECRET = process.env.DATAPACT_SECRET_KEY ?? "datapact-development-secret-do-not-use-in-production";

const b64url = (value) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

export function adminToken(sub = "e2e-dashboard") {
  const now = Math.floor(Date.now() / 1000);
  const head = b64url({ alg: "HS256", typ: "JWT" });
  const body = b64url({
    sub, teams: [], scopes: ["admin"], iss: "datapact", aud: ["datapact"], iat: now, exp: now + 3600,
  });
  const signature = createHmac("sha256", SECRET).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${signature}`;
}

/** A team's token (what `datapact token create --team` gives a team member). */
export function teamToken(teams, sub = "e2e-member") {
  const now = Math.floor(Date.now() / 1000);
  const head = b64url({ alg: "HS256", typ: "JWT" });
  const body = b64url({
    sub, teams, scopes: ["contracts:write"], iss: "datapact", aud: ["datapact"], iat: now, exp: now + 3600,
  });
  const signature = createHmac("sha256", SECRET).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${signature}`;
}
