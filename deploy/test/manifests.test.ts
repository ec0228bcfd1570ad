import { readFileSync } from "node:fs";
import path from "node:path";
import type {
  V1Container,
  V1Deployment,
  V1NetworkPolicy,
  V1PodDisruptionBudget,
  V1Probe,
  V1Service,
  V1ServiceAccount,
} from "@kubernetes/client-node";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ENV_VARIABLES, loadEnv } from "../../apps/server/src/env.js";
import { OPERATIONAL_PATHS, READINESS_TIMEOUT_MS } from "../../apps/server/src/observability/paths.js";
import {
  dockerEnv,
  dockerfile,
  kubernetesObjects,
  loadManifestFiles,
  manifestsDir,
  modelType,
  one,
  repoRoot,
  unknownFields,
} from "./support.js";

/** The Kubernetes JSON schemas (bundled with kubernetes-models: no network), one model per kind we ship. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  "apps/v1/Deployment": Deployment,
  "v1/Service": Service,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/ServiceAccount": ServiceAccount,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
};

const deployment = () => one<V1Deployment>("Deployment");
const pod = () => deployment().spec!.template;
const server = (): V1Container => pod().spec!.containers.find((c) => c.name === "server")!;
const configMap = () => one<{ data: Record<string, string> }>("ConfigMap");
const secret = () => one<{ stringData: Record<string, string> }>("Secret");
const image = dockerfile();
const imageEnv = dockerEnv(image, "runtime");

/** What main.ts waits for on SIGTERM after the HTTP drain: Apollo's drain grace (10 s) and the database pool's close timeout (5 s). */
const SHUTDOWN_SECONDS = 10 + 5;

describe("every manifest", () => {
  it("is valid against the Kubernetes schemas", () => {
    const objects = kubernetesObjects();
    expect(objects.length).toBeGreaterThanOrEqual(7);
    for (const object of objects) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect(Model, `${object.file}: no schema for ${object.apiVersion} ${object.kind}`).toBeDefined();
      const { file: _file, ...manifest } = object;
      expect(() => new Model!(manifest as never).validate(), object.file).not.toThrow();
    }
  });

  it("has no field the Kubernetes API does not know", () => {
    for (const { file, ...manifest } of kubernetesObjects()) {
      expect(unknownFields(manifest, modelType(manifest), `${file}`), file).toEqual([]);
    }
  });

  it("catches a misspelt field (the check above can fail)", () => {
    const broken = structuredClone(deployment()) as unknown as {
      spec: { template: { spec: { containers: Array<Record<string, unknown>> } } };
    };
    broken.spec.template.spec.containers[0]!["readinesProbe"] = { httpGet: { path: "/readyz", port: "http" } };
    expect(unknownFields(broken, "V1Deployment", "deployment")).toEqual(["deployment.spec.template.spec.containers[0].readinesProbe"]);
    const wrongType = structuredClone(deployment()) as unknown as { spec: { replicas: unknown } };
    wrongType.spec.replicas = "three";
    expect(() => new Deployment(wrongType as never).validate()).toThrow();
  });

  it("is namespace-agnostic, so `kubectl apply -k … -n <namespace>` places it", () => {
    for (const object of kubernetesObjects()) expect((object.metadata as { namespace?: string }).namespace, object.file).toBeUndefined();
  });

  it("is listed in kustomization.yaml, except the Secret example, which is never applied by accident", () => {
    const kustomization = parse(readFileSync(path.join(manifestsDir, "kustomization.yaml"), "utf8")) as {
      resources: string[];
      images: Array<{ name: string }>;
    };
    const files = loadManifestFiles()
      .map((f) => f.file)
      .filter((f) => f !== "kustomization.yaml");
    expect([...kustomization.resources].sort()).toEqual(files.filter((f) => !f.includes(".example.")).sort());
    expect(kustomization.resources.some((r) => r.includes("secret"))).toBe(false);
    const [imageName] = server().image!.split(":");
    expect(kustomization.images.map((i) => i.name)).toContain(imageName);
  });
});

describe("the Deployment", () => {
  it("runs three replicas, replaced one at a time with none taken down first, spread across nodes", () => {
    const spec = deployment().spec!;
    expect(spec.replicas).toBe(3);
    expect(spec.strategy?.type).toBe("RollingUpdate");
    expect(spec.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
    expect(Number(spec.strategy?.rollingUpdate?.maxSurge)).toBeGreaterThanOrEqual(1);
    const spread = pod().spec!.topologySpreadConstraints ?? [];
    const byNode = spread.find((c) => c.topologyKey === "kubernetes.io/hostname");
    expect(byNode?.maxSkew).toBe(1);
    expect(byNode?.labelSelector?.matchLabels).toEqual(spec.selector.matchLabels);
  });

  it("selects its own pods, and so do the Service, the PodDisruptionBudget and the NetworkPolicy", () => {
    const labels = pod().metadata!.labels!;
    const matches = (selector: Record<string, string> | undefined) =>
      selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
    expect(matches(deployment().spec!.selector.matchLabels)).toBe(true);
    expect(matches(one<V1Service>("Service").spec!.selector)).toBe(true);
    expect(matches(one<V1PodDisruptionBudget>("PodDisruptionBudget").spec!.selector?.matchLabels)).toBe(true);
    expect(matches(one<V1NetworkPolicy>("NetworkPolicy").spec!.podSelector?.matchLabels)).toBe(true);
  });

  it("keeps at least two replicas up through voluntary disruptions", () => {
    const pdb = one<V1PodDisruptionBudget>("PodDisruptionBudget").spec!;
    const replicas = deployment().spec!.replicas!;
    const available = pdb.minAvailable !== undefined ? Number(pdb.minAvailable) : replicas - Number(pdb.maxUnavailable);
    expect(available).toBeGreaterThanOrEqual(2);
    expect(available).toBeLessThan(replicas);
  });

  it("runs as the image's non-root user, read-only, with every capability dropped", () => {
    const podSecurity = pod().spec!.securityContext!;
    const container = server().securityContext!;
    expect(podSecurity.runAsNonRoot).toBe(true);
    expect(podSecurity.runAsUser).toBeGreaterThan(0);
    const imageUser = image.find((i) => i.stage === "runtime" && i.keyword === "USER")!.args.split(":")[0];
    expect(String(podSecurity.runAsUser)).toBe(imageUser);
    expect(container.readOnlyRootFilesystem).toBe(true);
    expect(container.allowPrivilegeEscalation).toBe(false);
    expect(container.capabilities?.drop).toEqual(["ALL"]);
    expect(container.capabilities?.add).toBeUndefined();
  });

  it("mounts writable scratch space where the server writes: its data folder and /tmp", () => {
    const mounts = new Map(server().volumeMounts!.map((m) => [m.mountPath, m.name]));
    const volumes = new Map(pod().spec!.volumes!.map((v) => [v.name, v]));
    for (const dir of [imageEnv["HKS_DATA_DIR"]!, "/tmp"]) {
      const volume = volumes.get(mounts.get(dir)!);
      expect(volume?.emptyDir, `${dir} is an emptyDir`).toBeDefined();
    }
  });

  it("mounts the per-workspace kubeconfigs where HKS_KUBECONFIG_DIR points, read-only, from a Secret", () => {
    const mount = server().volumeMounts!.find((m) => m.mountPath === configMap().data["HKS_KUBECONFIG_DIR"]);
    expect(mount?.readOnly).toBe(true);
    const volume = pod().spec!.volumes!.find((v) => v.name === mount!.name);
    expect(volume?.secret?.secretName).toBeTruthy();
  });

  it("sets requests and limits on every container", () => {
    for (const container of pod().spec!.containers) {
      expect(container.resources?.requests?.["cpu"], container.name).toBeTruthy();
      expect(container.resources?.requests?.["memory"], container.name).toBeTruthy();
      expect(container.resources?.limits?.["memory"], container.name).toBeTruthy();
      expect(container.resources?.limits?.["cpu"], container.name).toBeTruthy();
    }
  });

  it("probes paths the server serves, on the port it listens on", () => {
    const c = server();
    const port = c.ports!.find((p) => p.name === "http")!;
    expect(String(port.containerPort)).toBe(imageEnv["PORT"]);
    const target = (probe: V1Probe | undefined) => ({ path: probe?.httpGet?.path, port: probe?.httpGet?.port });
    // Liveness and start-up never depend on the database; readiness does.
    expect(target(c.livenessProbe)).toEqual({ path: OPERATIONAL_PATHS.live, port: "http" });
    expect(target(c.startupProbe)).toEqual({ path: OPERATIONAL_PATHS.live, port: "http" });
    expect(target(c.readinessProbe)).toEqual({ path: OPERATIONAL_PATHS.ready, port: "http" });
    // The probe must outwait the server's own time box, or a slow database reads as a failed probe with no reason.
    expect(c.readinessProbe!.timeoutSeconds! * 1000).toBeGreaterThan(READINESS_TIMEOUT_MS);
    // A liveness failure restarts the pod: it must take several missed probes, not one slow answer.
    expect(c.livenessProbe!.failureThreshold! * c.livenessProbe!.periodSeconds!).toBeGreaterThanOrEqual(20);
  });

  it("asks Prometheus to scrape the metrics path on the server's port", () => {
    const annotations = pod().metadata!.annotations!;
    expect(annotations["prometheus.io/scrape"]).toBe("true");
    expect(annotations["prometheus.io/path"]).toBe(OPERATIONAL_PATHS.metrics);
    expect(annotations["prometheus.io/port"]).toBe(imageEnv["PORT"]);
  });

  it("gives a stopping replica time to leave the Service and drain", () => {
    const preStop = server().lifecycle?.preStop?.exec?.command;
    expect(preStop?.[0]).toBe("sleep");
    const sleep = Number(preStop?.[1]);
    expect(pod().spec!.terminationGracePeriodSeconds).toBeGreaterThan(sleep + SHUTDOWN_SECONDS);
  });

  it("takes its configuration from the ConfigMap and the Secret, and mounts no API token", () => {
    const sources = server().envFrom!;
    expect(sources.map((s) => s.configMapRef?.name).filter(Boolean)).toEqual([configMap().metadata.name]);
    expect(sources.map((s) => s.secretRef?.name).filter(Boolean)).toEqual([secret().metadata.name]);
    const account = one<V1ServiceAccount>("ServiceAccount");
    expect(pod().spec!.serviceAccountName).toBe(account.metadata!.name);
    expect(account.automountServiceAccountToken).toBe(false);
    expect(pod().spec!.automountServiceAccountToken).toBe(false);
  });
});

describe("the Service and NetworkPolicy", () => {
  it("route to the server's named port", () => {
    const ports = one<V1Service>("Service").spec!.ports!;
    expect(ports.map((p) => p.targetPort)).toEqual(["http"]);
    const allowed = one<V1NetworkPolicy>("NetworkPolicy").spec!.ingress!.flatMap((r) => r.ports ?? []);
    expect(allowed.map((p) => p.port)).toEqual(["http"]);
  });
});

describe("the configuration", () => {
  it("sets only variables the server reads", () => {
    const keys = [...Object.keys(configMap().data), ...Object.keys(secret().stringData), ...Object.keys(imageEnv)];
    expect(keys.filter((k) => !ENV_VARIABLES.includes(k))).toEqual([]);
  });

  it("parses with the server's own loadEnv as a production configuration on external PostgreSQL", () => {
    const env = loadEnv({ ...imageEnv, ...configMap().data, ...secret().stringData });
    expect(env.NODE_ENV).toBe("production");
    expect(env.HOST).toBe("0.0.0.0");
    // Several replicas share one database and must verify each other's tokens.
    expect(env.DATABASE_URL).toMatch(/^postgres(ql)?:\/\//);
    expect(env.HKS_TOKEN_SECRET).toBeDefined();
    // A real platform, not the embedded lab, and nothing seeded into it.
    expect(env.PROXMOX_URL).toBeDefined();
    expect(env.HKS_SEED_LAB).toBe("false");
  });

  it("is documented: the README's configuration reference names every variable the server reads", () => {
    const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
    expect(ENV_VARIABLES.filter((v) => !readme.includes(`\`${v}\``))).toEqual([]);
  });

  it("keeps secrets out of the ConfigMap", () => {
    const secretLike = /DATABASE_URL|SECRET|TOKEN|PASSWORD/;
    expect(Object.keys(configMap().data).filter((k) => secretLike.test(k))).toEqual([]);
    expect(
      Object.keys(secret().stringData)
        .filter((k) => secretLike.test(k))
        .sort(),
    ).toEqual(["DATABASE_URL", "HKS_TOKEN_SECRET", "PROXMOX_TOKEN_ID", "PROXMOX_TOKEN_SECRET"].sort());
  });
});
