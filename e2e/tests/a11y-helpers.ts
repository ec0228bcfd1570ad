import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page } from "@playwright/test";

/** WCAG 2.2 AA: the success criteria of 2.0, 2.1 and 2.2 at levels A and AA. */
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * Runs axe-core on the page as it is now and fails with the violations' ids, impacts and targets.
 * label-content-name-mismatch (WCAG 2.5.3) is still "experimental" in axe, so it is switched on by name.
 */
export async function expectNoAxeViolations(page: Page, state: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .options({ rules: { "label-content-name-mismatch": { enabled: true } } })
    .withTags(WCAG_TAGS)
    .analyze();
  const found = results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    targets: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1, 2).join("").trim() ?? ""}`),
  }));
  expect.soft(found, `axe violations on ${state}`).toEqual([]);
}

/** Where keyboard focus is: resolves when `locator` holds it. */
export async function expectFocused(locator: Locator): Promise<void> {
  await expect(locator).toBeFocused();
}

/** The text the polite (or assertive) live region announced last. */
export function announcer(page: Page, politeness: "polite" | "assertive" = "polite"): Locator {
  return page.getByTestId(`announcer-${politeness}`);
}
