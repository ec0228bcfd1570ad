import { useCallback, useEffect, useState } from "react";
import type { RefObject } from "react";
import { focusFirstInvalid } from "./focus";
import { useAnnounce } from "./useAnnounce";

/** "Name: Enter a name." for each field the form marks invalid, read from its label and error line. */
function describeInvalidFields(form: HTMLElement): string[] {
  return Array.from(form.querySelectorAll<HTMLElement>('[aria-invalid="true"]')).map((field) => {
    const label = field.id ? form.querySelector(`label[for="${CSS.escape(field.id)}"]`)?.textContent?.trim() : undefined;
    const described = (field.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .map((id) => (id ? document.getElementById(id) : null))
      .find((el) => el?.classList.contains("field-error"));
    const error = described?.textContent?.trim() ?? "Check this field.";
    return label ? `${label}: ${error}` : error;
  });
}

/**
 * After a refused submit (the browser's or the server's): once the errors are on screen, focus the
 * first invalid field and say what is wrong, so that nobody is left on the button wondering.
 * Returns the function to call on each refusal.
 */
export function useInvalidFieldFocus(formRef: RefObject<HTMLElement | null>) {
  const announce = useAnnounce();
  const [refusals, setRefusals] = useState(0);

  useEffect(() => {
    const form = formRef.current;
    if (refusals === 0 || !form) return;
    const errors = describeInvalidFields(form);
    if (errors.length === 0) return;
    focusFirstInvalid(form);
    const intro = errors.length === 1 ? "1 field needs attention." : `${errors.length} fields need attention.`;
    announce(`${intro} ${errors.join(" ")}`, { politeness: "assertive" });
  }, [refusals, formRef, announce]);

  return useCallback(() => setRefusals((n) => n + 1), []);
}
