import type { Proposal } from "@/types/api";

/** The affected teams of an open proposal that a token holding `held` may answer for. */
export function answerableTeams(proposal: Pick<Proposal, "status" | "affected_teams">, held: readonly string[] | undefined): string[] {
  if (proposal.status !== "open" || !held?.length) return [];
  return proposal.affected_teams.filter((team) => held.includes(team));
}

/** The open proposals asking one of `held` for an answer; those still waiting for it first. */
export function mineToAnswer(proposals: Proposal[], held: readonly string[] | undefined): Proposal[] {
  const mine = proposals.filter((p) => answerableTeams(p, held).length > 0);
  const waiting = (p: Proposal) => p.answers.some((a) => a.answer === "pending" && held?.includes(a.team));
  return [...mine.filter(waiting), ...mine.filter((p) => !waiting(p))];
}

export interface TextPart {
  text: string;
  code: boolean;
}

/** "`finance` pending" → the team names as code, the rest as text. */
export function tickParts(summary: string): TextPart[] {
  return summary.split("`").map((text, i) => ({ text, code: i % 2 === 1 })).filter((part) => part.text !== "");
}
