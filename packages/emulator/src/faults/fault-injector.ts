// Holds the active fault rules and decides, per request, which one (if any) applies.
import { randomUUID } from "node:crypto";
import { parseFaultRule, type Endpoint, type FaultRule } from "./fault-rule.js";

export type Clock = () => number;

interface ActiveRule {
  rule: FaultRule & { id: string };
  addedAt: number;
  matched: number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];

  constructor(
    private readonly now: Clock = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** Adds rules; returns them with their ids. */
  add(...inputs: unknown[]): (FaultRule & { id: string })[] {
    const added = inputs.map((input) => {
      const rule = { ...parseFaultRule(input), id: (input as FaultRule).id ?? randomUUID() };
      return { rule, addedAt: this.now(), matched: 0 };
    });
    this.rules.push(...added);
    return added.map((a) => ({ ...a.rule }));
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((a) => a.rule.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): (FaultRule & { id: string })[] {
    return this.rules.map((a) => ({ ...a.rule }));
  }

  /** The first rule in force for this request, counting the request against it. */
  select(endpoint: Endpoint): FaultRule | undefined {
    const now = this.now();
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.endpoint !== "*" && rule.endpoint !== endpoint) continue;
      const start = active.addedAt + (rule.startAfterMs ?? 0);
      if (now < start) continue;
      if (rule.durationMs !== undefined && now >= start + rule.durationMs) continue;
      if (rule.first !== undefined && active.matched >= rule.first) continue;
      active.matched += 1;
      if (rule.percent !== undefined && this.random() * 100 >= rule.percent) continue;
      return rule;
    }
    return undefined;
  }
}
