// Fault injection for tests of the product's failure paths: a lab server consults the registry at the
// start of every request, so a test can make one platform call fail or hang without touching the product.
export interface FaultRule {
  /** HTTP method to match, e.g. "POST"; any when omitted. */
  method?: string;
  /** Regular expression (source) matched against the request path, without the query string. */
  path: string;
  /** Regular expression (source) the query string (with its `?`) must match too, e.g. "watch=" for watches only. */
  query?: string;
  /** fail: answer with `status` and `message` in the platform's own error shape; hang: never answer. */
  action: "fail" | "hang";
  status?: number;
  message?: string;
  /** How many matching requests the rule applies to; unlimited when omitted. */
  times?: number;
}

export class FaultRegistry {
  private rules: Array<FaultRule & { regex: RegExp; queryRegex?: RegExp; left: number }> = [];

  add(rule: FaultRule): void {
    this.rules.push({
      ...rule,
      regex: new RegExp(rule.path),
      queryRegex: rule.query === undefined ? undefined : new RegExp(rule.query),
      left: rule.times ?? Number.POSITIVE_INFINITY,
    });
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule that matches, consuming one of its uses; undefined when the request should proceed. */
  take(method: string, path: string, search = ""): FaultRule | undefined {
    const rule = this.rules.find(
      (r) =>
        r.left > 0 &&
        (!r.method || r.method.toUpperCase() === method.toUpperCase()) &&
        r.regex.test(path) &&
        (!r.queryRegex || r.queryRegex.test(search)),
    );
    if (rule) rule.left -= 1;
    return rule;
  }
}
