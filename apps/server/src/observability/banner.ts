import type { Logger } from "../logger.js";

export interface Ready {
  seconds: string;
  url: string;
  database: string;
  /** Lab mode: where the stand-in platform answers, and how to sign in. */
  lab?: { proxmoxUrl: string; kubeconfigDir: string; kubeconfig: string };
}

/**
 * The start-up announcement: a readable banner for a person at a terminal, one JSON line in
 * production, where every line on the output is parsed by a log pipeline.
 */
export function announceReady(ready: Ready, options: { production: boolean; logger: Logger }): void {
  if (options.production) {
    options.logger.info("ready", { seconds: Number(ready.seconds), url: ready.url, database: ready.database, lab: Boolean(ready.lab) });
    return;
  }
  const lines = [
    `\nHKS Storage & Backup is ready in ${ready.seconds} s: ${ready.url}`,
    `  dashboard  ${ready.url}/`,
    `  GraphQL    ${ready.url}/graphql (graphql-ws on the same path)`,
    `  metrics    ${ready.url}/metrics; health ${ready.url}/livez, ${ready.url}/readyz`,
    `  database   ${ready.database}`,
  ];
  if (ready.lab) {
    lines.push(
      `  lab        Proxmox VE API ${ready.lab.proxmoxUrl}/api2/json; vCluster kubeconfigs in ${ready.lab.kubeconfigDir}`,
      `             kubectl --kubeconfig ${ready.lab.kubeconfig} get storageclass,pv,resourcequota -A`,
      `  sign in    admin@acme.test / dev@acme.test / admin@globex.test, password hks-lab\n`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}
