import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { server } from "@/test/server";
import { apiFetch, buildUrl } from "./api-client";
import { ApiError } from "./api-error";
import { setToken } from "./token";

describe("buildUrl", () => {
  it("leaves out empty values and encodes the rest", () => {
    expect(buildUrl("/api/v1/contracts", { q: "a b&c", status: undefined, team: "", skip: 0, tag: null })).toBe("/api/v1/contracts?q=a+b%26c&skip=0");
  });
});

describe("apiFetch", () => {
  it("sends the stored token as a Bearer header", async () => {
    let seen: string | null = null;
    server.use(
      http.get("*/api/v1/contracts", ({ request }) => {
        seen = request.headers.get("authorization");
        return HttpResponse.json({ contracts: [], total: 0, skip: 0, limit: 50 });
      }),
    );
    setToken("abc.def.ghi");
    await apiFetch("/api/v1/contracts");
    expect(seen).toBe("Bearer abc.def.ghi");
  });

  it("sends no Authorization header without a token", async () => {
    let seen: string | null = "unset";
    server.use(
      http.get("*/api/v1/contracts", ({ request }) => {
        seen = request.headers.get("authorization");
        return HttpResponse.json({});
      }),
    );
    await apiFetch("/api/v1/contracts");
    expect(seen).toBeNull();
  });

  it("turns an error body into an ApiError with the server's detail and located errors", async () => {
    server.use(
      http.post("*/api/v1/contracts", () =>
        HttpResponse.json(
          { detail: "invalid contract: schema.0.data_type: Input should be 'string'", errors: [{ loc: "schema.0.data_type", message: "Input should be 'string'", type: "enum" }] },
          { status: 422 },
        ),
      ),
    );
    const error = await apiFetch("/api/v1/contracts", { method: "POST", json: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, detail: "invalid contract: schema.0.data_type: Input should be 'string'", errors: [{ loc: "schema.0.data_type", message: "Input should be 'string'" }] });
  });

  it("reads FastAPI's own 422 shape (detail as a list)", async () => {
    server.use(http.get("*/api/v1/erd", () => HttpResponse.json({ detail: [{ loc: ["query", "depth"], msg: "too deep", type: "x" }] }, { status: 422 })));
    const error = (await apiFetch("/api/v1/erd").catch((e: unknown) => e)) as ApiError;
    expect(error.detail).toBe("query.depth: too deep");
    expect(error.errors[0]?.loc).toBe("query.depth");
  });

  it("says plainly when a service is down", async () => {
    server.use(http.get("*/api/v1/erd", () => new HttpResponse("<html>Bad Gateway</html>", { status: 502 })));
    const error = (await apiFetch("/api/v1/erd").catch((e: unknown) => e)) as ApiError;
    expect(error.detail).toMatch(/not reachable/);
  });

  it("reports a network failure as status 0", async () => {
    server.use(http.get("*/api/v1/erd", () => HttpResponse.error()));
    const error = (await apiFetch("/api/v1/erd").catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
    expect(error.detail).toMatch(/Cannot reach the server/);
  });
});
