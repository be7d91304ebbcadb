"""What --explain prints: which template was chosen and why, where each field came from, what each
boilerplate rule removed and which removals the guard refused."""

from __future__ import annotations

from dataclasses import dataclass, field

from extraction.rules import RuleLog


@dataclass
class Explanation:
    parser: str = "generic"
    reason: str = ""
    candidates: list[tuple[str, str | None]] = field(default_factory=list)  # (template, fingerprint or None)
    sources: dict[str, str] = field(default_factory=dict)  # field -> where it came from
    rules: RuleLog = field(default_factory=RuleLog)
    notes: list[str] = field(default_factory=list)

    def source(self, name: str, where: str | None) -> None:
        if where:
            self.sources[name] = where

    def lines(self) -> list[str]:
        out = [f"parser: {self.parser}", f"why: {self.reason}"]
        for name, matched in self.candidates:
            out.append(f"  template {name}: {'matched (' + matched + ')' if matched else 'no match'}")
        for name, where in self.sources.items():
            out.append(f"  {name}: from {where}")
        if self.rules.removed:
            for rule_id in self.rules.removed:
                texts = self.rules.texts(rule_id)
                sample = "; ".join(t for t in texts[:3] if t) or "(no text)"
                out.append(f"  rule {rule_id}: removed {len(texts)} ({sample[:160]})")
        else:
            out.append("  rules: nothing removed")
        for rule_id, why in self.rules.refused:
            out.append(f"  rule {rule_id}: REFUSED by guard, {why}")
        if not self.rules.refused:
            out.append("  guard: no removal refused")
        out.extend(f"  note: {note}" for note in self.notes)
        return out
