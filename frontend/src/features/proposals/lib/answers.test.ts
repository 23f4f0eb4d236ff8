import { describe, expect, it } from "vitest";
import { proposal } from "@/test/fixtures";
import { answerableTeams, mineToAnswer, tickParts } from "./answers";

describe("answers", () => {
  it("answers only for the affected teams the token holds, on an open proposal", () => {
    const p = proposal();
    expect(answerableTeams(p, ["finance", "sales"])).toEqual(["finance"]);
    expect(answerableTeams(p, undefined)).toEqual([]);
    expect(answerableTeams({ ...p, status: "superseded" }, ["finance"])).toEqual([]);
  });

  it("lists the proposals still waiting for the token's answer first", () => {
    const answered = proposal({ id: "a", answers: [{ team: "finance", answer: "approved" }, { team: "bi", answer: "pending" }] });
    const waiting = proposal({ id: "b" });
    const other = proposal({ id: "c", affected_teams: ["marketing"], answers: [{ team: "marketing", answer: "pending" }] });
    expect(mineToAnswer([answered, waiting, other], ["finance"]).map((p) => p.id)).toEqual(["b", "a"]);
  });

  it("splits a verdict summary into text and team names", () => {
    expect(tickParts("1 of 2 affected teams approved; `bi` pending")).toEqual([
      { text: "1 of 2 affected teams approved; ", code: false },
      { text: "bi", code: true },
      { text: " pending", code: false },
    ]);
  });
});
