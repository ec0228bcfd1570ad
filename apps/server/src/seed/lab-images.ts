import { BIN_DIR, IMAGE_BIN_DIR } from "@hks/backup-functions";

/** In the lab, the backup image's scripts are this repository's own: the lab "kubelet" maps its paths to them. */
export function labImages(image: string) {
  const name = image.replace(/@sha256:[0-9a-f]+$/, "").replace(/:[\w][\w.-]*$/, "");
  return { [name]: { pathMap: { [IMAGE_BIN_DIR]: BIN_DIR } } };
}
