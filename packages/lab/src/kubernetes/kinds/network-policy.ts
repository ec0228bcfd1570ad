import type { FieldError } from "../errors.js";
import { isRecord } from "../types.js";
import { defineKind } from "./kind.js";
import { invalidValue, notSupported } from "./validation.js";

const POLICY_TYPES = ["Ingress", "Egress"];
const PROTOCOLS = ["TCP", "UDP", "SCTP"];
const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const rules = (value: unknown): Array<Record<string, unknown>> => (Array.isArray(value) ? value.filter(isRecord) : []);

function validatePorts(field: string, ports: unknown): FieldError[] {
  const errors: FieldError[] = [];
  rules(ports).forEach((p, i) => {
    const at = `${field}[${i}]`;
    if (p.protocol !== undefined && !PROTOCOLS.includes(String(p.protocol)))
      errors.push(notSupported(`${at}.protocol`, p.protocol, PROTOCOLS));
    const port = p.port;
    if (typeof port === "number" && (!Number.isInteger(port) || port < 1 || port > 65535))
      errors.push(invalidValue(`${at}.port`, port, "must be between 1 and 65535, inclusive"));
    if (typeof port === "string" && (!PORT_NAME.test(port) || port.length > 15 || !/[a-z]/.test(port)))
      errors.push(invalidValue(`${at}.port`, port, "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"));
  });
  return errors;
}

/**
 * networking.k8s.io/v1 NetworkPolicy, stored and validated as the apiserver does. Like a cluster whose network plugin
 * does not implement policies, the lab does not enforce them: the apiserver accepts them all the same.
 */
export const networkPolicyKind = defineKind({
  group: "networking.k8s.io",
  version: "v1",
  kind: "NetworkPolicy",
  plural: "networkpolicies",
  singular: "networkpolicy",
  shortNames: ["netpol"],
  namespaced: true,
  openapiName: "io.k8s.api.networking.v1.NetworkPolicy",
  defaults(obj) {
    if (!isRecord(obj.spec)) return;
    const spec = obj.spec;
    // SetDefaults_NetworkPolicySpec: Ingress always, Egress when egress rules are given; ports default to TCP.
    if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0)
      spec.policyTypes = rules(spec.egress).length ? ["Ingress", "Egress"] : ["Ingress"];
    for (const rule of [...rules(spec.ingress), ...rules(spec.egress)]) for (const port of rules(rule.ports)) port.protocol ??= "TCP";
  },
  validate(obj) {
    const spec = isRecord(obj.spec) ? obj.spec : {};
    const errors: FieldError[] = [];
    if (spec.podSelector !== undefined && !isRecord(spec.podSelector))
      errors.push(invalidValue("spec.podSelector", spec.podSelector, "must be a label selector"));
    const types = Array.isArray(spec.policyTypes) ? spec.policyTypes : [];
    types.forEach((t, i) => {
      if (!POLICY_TYPES.includes(String(t))) errors.push(notSupported(`spec.policyTypes[${i}]`, t, POLICY_TYPES));
    });
    if (types.length > 2 || new Set(types).size !== types.length)
      errors.push(invalidValue("spec.policyTypes", types, "may not have more than 2 policyTypes, nor the same one twice"));
    rules(spec.ingress).forEach((r, i) => errors.push(...validatePorts(`spec.ingress[${i}].ports`, r.ports)));
    rules(spec.egress).forEach((r, i) => errors.push(...validatePorts(`spec.egress[${i}].ports`, r.ports)));
    return errors;
  },
  columns: [
    {
      name: "Pod-Selector",
      type: "string",
      cell: (o) => {
        const labels: Record<string, string> = o.spec?.podSelector?.matchLabels ?? {};
        const said = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
        return said.length ? said.join(",") : "<none>";
      },
    },
  ],
});
