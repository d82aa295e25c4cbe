"""axe-core in the browser tests: inject the vendored copy, run the WCAG 2.1 A/AA rules, report violations.

tests/e2e/vendor/axe.min.js is pinned in package.json (devDependencies) and refreshed by `make vendor`;
it lives outside static/, so the site never serves it. It is injected with an inline <script>, which the
site's Content-Security-Policy forbids (script-src 'self' plus a nonce): the contexts that run axe are made
with Playwright's bypass_csp=True. Only these test contexts bypass it; every other browser test runs under
the real policy and checks nothing is blocked.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
AXE_PATH = Path(__file__).parent / "vendor" / "axe.min.js"

_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    targets: v.nodes.map((node) => node.target.join(" ")),
  }));
}"""


@cache
def axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """The WCAG 2.1 A and AA violations axe finds on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source())
    return page.evaluate(_RUN, list(WCAG_TAGS))


def describe(violations: list[dict]) -> str:
    """One paragraph per rule: id, impact, what it asks, where (CSS selectors), and its help page."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}\n  {v['helpUrl']}")
        lines.extend(f"    at {target}" for target in v["targets"][:10])
        if len(v["targets"]) > 10:
            lines.append(f"    … and {len(v['targets']) - 10} more")
    return "\n".join(lines)
