/** Fixtures made through the API as the signed-in admin: the same helpers for every spec. */
import { readFileSync } from "node:fs";
import { expect, type APIRequestContext } from "@playwright/test";
import { statePath, type Who } from "./users";

/** The user's bearer token from the signed-in browser state, for fixtures made through the API. */
export function tokenOf(who: Who): string {
  const state = JSON.parse(readFileSync(statePath(who), "utf8")) as {
    origins: Array<{ localStorage: Array<{ name: string; value: string }> }>;
  };
  return state.origins.flatMap((o) => o.localStorage).find((e) => e.name === "hks.authToken")!.value;
}

export async function graphql<T>(request: APIRequestContext, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await request.post("/graphql", { data: { query, variables }, headers: { authorization: `Bearer ${tokenOf("admin")}` } });
  const body = (await res.json()) as { data: T; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

export async function acmeId(request: APIRequestContext): Promise<string> {
  const { workspaces } = await graphql<{ workspaces: Array<{ id: string; slug: string }> }>(
    request,
    `
      {
        workspaces {
          id
          slug
        }
      }
    `,
  );
  return workspaces.find((w) => w.slug === "acme")!.id;
}

/** The id of acme's "shop" application. */
export async function shopId(request: APIRequestContext, workspaceId: string): Promise<string> {
  const { workspace } = await graphql<{ workspace: { applications: Array<{ id: string; name: string }> } }>(
    request,
    `
      query ($w: ID!) {
        workspace(id: $w) {
          applications {
            id
            name
          }
        }
      }
    `,
    { w: workspaceId },
  );
  return workspace.applications.find((a) => a.name === "shop")!.id;
}

/** Creates a volume through the API and waits until it is AVAILABLE; returns its id. */
export async function createVolume(
  request: APIRequestContext,
  name: string,
  sizeGiB: number,
  options: { workspaceId?: string; idempotencyKey?: string } = {},
): Promise<string> {
  const workspaceId = options.workspaceId ?? (await acmeId(request));
  const { createStorageVolume } = await graphql<{ createStorageVolume: { id: string } }>(
    request,
    `
      mutation ($input: CreateStorageVolumeInput!) {
        createStorageVolume(input: $input) {
          id
        }
      }
    `,
    { input: { workspaceId, name, sizeGiB, ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}) } },
  );
  await expect
    .poll(async () => {
      const data = await graphql<{ workspace: { storageVolume: { status: string } } }>(
        request,
        `
          query ($w: ID!, $id: ID!) {
            workspace(id: $w) {
              storageVolume(id: $id) {
                status
              }
            }
          }
        `,
        { w: workspaceId, id: createStorageVolume.id },
      );
      return data.workspace.storageVolume.status;
    })
    .toBe("AVAILABLE");
  return createStorageVolume.id;
}

/** Deletes the volume (clean-up, so later specs see acme's storage as they expect), with any restore points it holds. */
export async function deleteVolume(request: APIRequestContext, id: string): Promise<void> {
  await graphql(
    request,
    `
      mutation ($id: ID!) {
        deleteStorageVolume(id: $id, confirmRestorePoints: true) {
          id
        }
      }
    `,
    { id },
  );
}

/** Deletes every backup of the application with this name (clean-up: other specs expect shop's claims uncovered). */
export async function deleteBackupsNamed(request: APIRequestContext, name: string): Promise<void> {
  const workspaceId = await acmeId(request);
  const { workspace } = await graphql<{ workspace: { applications: Array<{ backups: Array<{ id: string; name: string }> }> } }>(
    request,
    `
      query ($w: ID!) {
        workspace(id: $w) {
          applications {
            backups {
              id
              name
            }
          }
        }
      }
    `,
    { w: workspaceId },
  );
  for (const b of workspace.applications.flatMap((a) => a.backups).filter((x) => x.name === name)) {
    await graphql(
      request,
      `
        mutation ($id: ID!) {
          deleteBackup(id: $id) {
            id
          }
        }
      `,
      { id: b.id },
    );
  }
}
